/**
 * The wake path, pending awaits of Java futures, streams both ways, the loop threads jawait owns and
 * the Vert.x adapters. Tier: internal.
 */
package dev.jawait.internal.async;
