/**
 * Java values to Python objects and back; Python errors to Java exceptions and back. Tier: internal.
 */
package dev.jawait.internal.convert;
