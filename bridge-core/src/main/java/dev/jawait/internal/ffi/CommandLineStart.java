package dev.jawait.internal.ffi;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Starts Python from a command line as the python command does (PEP 587): a {@code PyConfig} from
 * {@code PyConfig_InitPythonConfig}, the command line given with {@code PyConfig_SetBytesArgv} and
 * parsed by CPython itself ({@code parse_argv}), then {@code Py_InitializeFromConfig}; the program
 * it names runs later with {@link CPython#Py_RunMain}. Python's signal handlers are installed
 * ({@code install_signal_handlers}), as in the python command.
 *
 * <p>These functions take and return {@code PyStatus} by value, which JNA's direct mapping cannot
 * bind, so they are called through JNA {@link Function}s (start-up only: speed does not matter). Not
 * through interface mapping ({@code Native.load}), whose proxy class is generated at every start
 * (no class data archive keeps it). {@code PyStatus} is the same in 3.9 to 3.13;
 * {@code PyConfig} changes with every version, so jawait only gives it room and never touches its
 * fields: the executable and home set beforehand with the legacy {@code Py_SetProgramName} and
 * {@code Py_SetPythonHome} ({@link VersionSpecific#configureStartup}) are what it reads for them.
 */
public final class CommandLineStart {
    private CommandLineStart() {}

    /** More than any version's {@code sizeof(PyConfig)} (about 500 bytes in 3.13). */
    private static final long PYCONFIG_ROOM = 8192;

    /** What {@link #initialize} ended with. */
    public sealed interface Outcome {
        /** Python runs; {@link CPython#Py_RunMain} runs the program. */
        record Started() implements Outcome {}

        /** Python ended during start-up with this status ({@code -V}, {@code -h}, an unknown option), having said why. */
        record Exited(int status) implements Outcome {}

        /** Python could not start: {@code function} and {@code message} as CPython reports them. */
        record Failed(String function, String message) implements Outcome {}
    }

    /** {@code PyStatus}: {@code _type} (0 ok, 1 error, 2 exit), {@code func}, {@code err_msg}, {@code exitcode}. */
    @Structure.FieldOrder({"type", "func", "errMsg", "exitcode"})
    public static class PyStatus extends Structure {
        public int type;
        public Pointer func;
        public Pointer errMsg;
        public int exitcode;

        public static class ByValue extends PyStatus implements Structure.ByValue {}
    }

    private static Function initPythonConfig;
    private static Function setBytesArgv;
    private static Function initializeFromConfig;
    private static Function clearConfig;
    private static Function statusException;
    private static Function statusIsExit;

    /** Binds these functions of the libpython that {@link CPython#bind} loaded (with its options). */
    static void bind(NativeLibrary lib) {
        initPythonConfig = lib.getFunction("PyConfig_InitPythonConfig");
        setBytesArgv = lib.getFunction("PyConfig_SetBytesArgv");
        initializeFromConfig = lib.getFunction("Py_InitializeFromConfig");
        clearConfig = lib.getFunction("PyConfig_Clear");
        statusException = lib.getFunction("PyStatus_Exception");
        statusIsExit = lib.getFunction("PyStatus_IsExit");
    }

    private static PyStatus.ByValue status(Function function, Object... arguments) {
        return (PyStatus.ByValue) function.invoke(PyStatus.ByValue.class, arguments);
    }

    private static boolean test(Function function, PyStatus.ByValue status) {
        return function.invokeInt(new Object[] {status}) != 0;
    }

    private static String text(Pointer cString) {
        return cString == null ? "" : cString.getString(0, "UTF-8");
    }

    /**
     * Initializes Python from {@code commandLine} as C's {@code main} receives it: the command's name
     * ({@code sys.orig_argv[0]}), Python's options, then {@code -c}, {@code -m}, a script or {@code -}
     * and the program's arguments. Each argument is passed as the bytes the process received it as,
     * in {@code encoding}, and CPython decodes it as {@code python} does.
     */
    public static Outcome initialize(List<String> commandLine, Charset encoding) {
        com.sun.jna.Memory config = new com.sun.jna.Memory(PYCONFIG_ROOM);
        config.clear();
        com.sun.jna.Memory[] arguments = new com.sun.jna.Memory[commandLine.size()];
        com.sun.jna.Memory argv = new com.sun.jna.Memory((long) Native.POINTER_SIZE * (arguments.length + 1));
        for (int i = 0; i < arguments.length; i++) {
            byte[] bytes = commandLine.get(i).getBytes(encoding);
            arguments[i] = new com.sun.jna.Memory(bytes.length + 1L);
            arguments[i].write(0, bytes, 0, bytes.length);
            arguments[i].setByte(bytes.length, (byte) 0);
            argv.setPointer((long) Native.POINTER_SIZE * i, arguments[i]);
        }
        argv.setPointer((long) Native.POINTER_SIZE * arguments.length, null);
        initPythonConfig.invokeVoid(new Object[] {config});
        try {
            PyStatus.ByValue status = status(setBytesArgv, config, (long) arguments.length, argv);
            if (!test(statusException, status)) {
                status = status(initializeFromConfig, config);
            }
            if (!test(statusException, status)) {
                return new Outcome.Started();
            }
            if (test(statusIsExit, status)) {
                return new Outcome.Exited(status.exitcode);
            }
            return new Outcome.Failed(text(status.func), text(status.errMsg));
        } finally {
            clearConfig.invokeVoid(new Object[] {config});
        }
    }
}
