/**
 * The seam between jawait's public classes and its implementation ({@link dev.jawait.internal.Bridge}).
 * Tier: internal, exported to no module.
 */
package dev.jawait.internal;
