/**
 * Counters that jawait's own test suites and benchmarks read. Tier: test; exported only to
 * {@code dev.jawait.pytests} and {@code dev.jawait.bench}, and may change in any release.
 */
package dev.jawait.diagnostics;
