package dev.jawait.testing;

/** Python code that tests run in an interpreter to look at its state. */
public final class PythonProbes {
    private PythonProbes() {}

    /** Python helpers that read the interpreter's thread states through the C API (ctypes). */
    public static final String THREAD_STATES = String.join(
            "\n",
            "import ctypes",
            "_api = ctypes.pythonapi",
            "for _name in ('PyInterpreterState_Get', 'PyInterpreterState_ThreadHead', 'PyThreadState_Next',",
            "              'PyGILState_GetThisThreadState', 'PyThreadState_Get'):",
            "    getattr(_api, _name).restype = ctypes.c_void_p",
            "_api.PyInterpreterState_ThreadHead.argtypes = [ctypes.c_void_p]",
            "_api.PyThreadState_Next.argtypes = [ctypes.c_void_p]",
            "def thread_states():",
            "    count, state = 0, _api.PyInterpreterState_ThreadHead(_api.PyInterpreterState_Get())",
            "    while state:",
            "        count, state = count + 1, _api.PyThreadState_Next(state)",
            "    return count",
            "def binding_intact():",
            "    return _api.PyGILState_GetThisThreadState() == _api.PyThreadState_Get()",
            "");
}
