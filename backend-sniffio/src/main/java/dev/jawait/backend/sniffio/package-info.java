/**
 * jawait's sniffio backend: picks the asyncio or the trio backend at a function's first await, by
 * the library that runs it. Tier: SPI implementation, found by {@code ServiceLoader}.
 */
package dev.jawait.backend.sniffio;
