/**
 * Java functions and modules as Python builtins, start-up as {@code Python.Builder} orders it, and
 * the bootstrap that installs jawait's Python package. Tier: internal.
 */
package dev.jawait.internal.export;
