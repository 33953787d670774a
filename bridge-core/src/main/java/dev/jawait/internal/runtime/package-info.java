/**
 * Finding and starting Python, interpreters (their registry, storage, deferred decrefs and close
 * protocol), ownership of references, threads and their thread states, signals. Tier: internal.
 */
package dev.jawait.internal.runtime;
