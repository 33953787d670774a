/**
 * The {@code jawait run} command, which deploys Python verticles. Tier: SPI implementation of
 * {@code dev.jawait.launcher.LauncherCommand}.
 */
package dev.jawait.vertx.launcher;
