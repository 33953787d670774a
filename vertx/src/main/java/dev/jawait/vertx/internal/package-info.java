/** The Java half of {@code jawait.vertx}. Tier: internal, not part of the API. */
package dev.jawait.vertx.internal;
