/**
 * The {@code jawait} command ({@link dev.jawait.launcher.Main}), which runs Python programs with
 * Java modules, and the SPI through which other modules add commands to it
 * ({@link dev.jawait.launcher.LauncherCommand}). Tier: API and SPI.
 */
package dev.jawait.launcher;
