/**
 * jawait's trio backend: how a trio loop parks, wakes, spawns and runs, with its Python half in
 * {@code jawait/_backend_trio.py}. Tier: SPI implementation, found by {@code ServiceLoader}.
 */
package dev.jawait.backend.trio;
