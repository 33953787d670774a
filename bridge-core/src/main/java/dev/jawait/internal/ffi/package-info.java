/**
 * The CPython C API bound with JNA direct mapping, the per-version layout facts, raw memory and libc:
 * the only place that sees an address without a type around it. Tier: internal.
 */
package dev.jawait.internal.ffi;
