/**
 * jawait's API: the embedded interpreter ({@link dev.jawait.Python}), the token that proves the GIL
 * is held ({@link dev.jawait.Py}), owned Python objects ({@link dev.jawait.PyObject}) and Python's
 * exceptions in Java ({@link dev.jawait.PythonException}). Tier: API. These classes are thin; what
 * they do is implemented in jawait's internal packages, which no other module sees.
 */
package dev.jawait;
