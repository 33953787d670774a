/**
 * Java and Python async work linked both ways: event loops that jawait runs for Java
 * ({@link dev.jawait.async.EventLoop}), Python coroutines and async iterators as Java futures and
 * publishers ({@link dev.jawait.async.PythonFutures}, {@link dev.jawait.async.PythonStreams}), and
 * the SPI that each async library's backend implements ({@link dev.jawait.async.AsyncBackend}).
 * Tier: API and SPI.
 */
package dev.jawait.async;
