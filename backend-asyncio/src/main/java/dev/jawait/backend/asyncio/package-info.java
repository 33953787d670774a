/**
 * jawait's asyncio backend: how a asyncio loop parks, wakes, spawns and runs, with its Python half in
 * {@code jawait/_backend_asyncio.py}. Tier: SPI implementation, found by {@code ServiceLoader}.
 */
package dev.jawait.backend.asyncio;
