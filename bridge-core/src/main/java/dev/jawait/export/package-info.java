/**
 * Java modules and functions for Python to import and call: declared with annotations
 * ({@link dev.jawait.export.PyModule}, {@link dev.jawait.export.PyFunction}) or built with
 * {@link dev.jawait.export.ModuleDefinition#builder}, found through the
 * {@link dev.jawait.export.ModuleProvider} SPI, and described to type checkers by
 * {@link dev.jawait.export.PythonStubs}. Tier: API and SPI.
 */
package dev.jawait.export;
