/**
 * jawait's Micrometer meters (GIL waits, wakes and their batches, ...), when the application has
 * Micrometer ({@link dev.jawait.metrics.JawaitMetrics}). Tier: API.
 */
package dev.jawait.metrics;
