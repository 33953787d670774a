/**
 * Python on Vert.x: Python verticles ({@link dev.jawait.vertx.PythonVerticle}, deployed by name
 * through {@link dev.jawait.vertx.PythonVerticleFactory}) and the event bus from Python
 * ({@code jawait.vertx}). Tier: API.
 */
package dev.jawait.vertx;
