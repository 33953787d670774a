package dev.jawait.internal.ffi;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;

/**
 * Every use of the C API that is not the same across CPython 3.9 to 3.13, in one place.
 *
 * <ul>
 *   <li>{@code Py_SetProgramName} and {@code Py_SetPythonHome} are deprecated since 3.11 (PEP 587's
 *       {@code PyConfig} replaces them, but its struct layout changes with every version). They
 *       still work through 3.13, so start-up uses them for all supported versions.</li>
 *   <li>Objects are immortal from 3.12 (PEP 683): their reference count is pinned at a huge value,
 *       so refcount-based leak checks must use mortal objects.</li>
 *   <li>{@code PyObject_Vectorcall} is an inline function before 3.12, so calls go through
 *       {@code PyObject_VectorcallDict}, which every version exports.</li>
 *   <li>A list's item array is read from {@code PyListObject.ob_item}, right after the variable-size
 *       header (offset 24 on 64-bit builds, 3.9 to 3.13 alike), to fill new lists without one
 *       {@code PyList_SetItem} call per item; a tuple's items are inline at the same offset, read in
 *       one native call. Not part of the stable ABI.</li>
 *   <li>Reference counts change in Java, as the release-build {@code Py_INCREF}/{@code Py_DECREF}
 *       macros do, with no crossing unless an object must be freed: a plain 64-bit count before
 *       3.12; from 3.12 the low 32 bits, saturating, with immortal objects left alone (PEP 683).
 *       Py_DEBUG builds go through {@code Py_IncRef}/{@code Py_DecRef}.</li>
 *   <li>Small ints (two 30-bit digits) and floats are read from their objects in Java: before 3.12
 *       an int's signed digit count is {@code ob_size}; from 3.12 {@code lv_tag} holds it. Checked
 *       against CPython at start-up ({@link #checkNumberLayouts}); calls are used if they differ.</li>
 *   <li>Isolated interpreters (3.12+) come from {@code Py_NewInterpreterFromConfig}, which takes a
 *       {@code PyInterpreterConfig} and returns a {@code PyStatus} by value.</li>
 *   <li>Ints beyond 64 bits cross as two's-complement bytes (decimal text is refused past 4,300
 *       digits since 3.11): {@code _PyLong_NumBits}, {@code _PyLong_AsByteArray} and
 *       {@code _PyLong_FromByteArray}, exported by every version though not part of the stable ABI.
 *       3.13 gave {@code _PyLong_AsByteArray} a sixth parameter ({@code with_exceptions}); it is
 *       always passed, which the x86-64 calling convention makes harmless for the five-parameter
 *       versions (an extra register argument is ignored).</li>
 *   <li>A signal that the JVM receives for Python trips Python's handler with
 *       {@code PyErr_SetInterruptEx(signum)} from 3.10. 3.9 has only {@code PyErr_SetInterrupt()}
 *       (SIGINT alone), so there jawait calls Python's own C-level signal handler, whose address it
 *       reads from a disposition that Python installed ({@link #tripSignal}).</li>
 *   <li>How deep Python may recurse on a Java thread with a small stack ({@link #recursionLimit}):
 *       to 3.11 one per-thread depth counts Python calls and C recursion alike against the
 *       interpreter's limit, which {@code sys.setrecursionlimit} changes (jawait's
 *       {@code _bootstrap.py} then tells Java); from 3.12 Python calls no longer use the C stack and C
 *       recursion has a counter of its own, with a limit fixed at build time (1,500 in 3.12, 10,000 in
 *       3.13 release builds) that no function reports, so jawait counts it once. Both counters are
 *       moved only through {@code Py_EnterRecursiveCall} and {@code Py_LeaveRecursiveCall}. How much C
 *       stack one level takes differs too ({@link #stackBytesPerRecursion}).</li>
 * </ul>
 * Free-threaded builds (3.13t, PEP 703) have a 32-byte object header (see {@link Memory}), so every
 * field above lies 16 bytes further; their reference counts are split between the owner thread's
 * local count and an atomic shared one, so they change only through {@code Py_IncRef} and
 * {@code Py_DecRef}. {@code Py_TRACE_REFS} builds are refused at discovery.
 */
public final class VersionSpecific {
    private VersionSpecific() {}

    private static int minor;
    /** Immortal objects (3.12+): reference counts live in the low 32 bits and never move for them. */
    private static boolean immortals;
    /**
     * A Py_DEBUG build (reference counting goes through its functions, which keep its total) or a
     * free-threaded one (whose split counts only the C API may change).
     */
    private static boolean countThroughFunctions;
    /** A free-threaded build (3.13t): threads run Python at once, with no GIL. */
    private static boolean freeThreaded;
    /** Where a PyVarObject's fields after {@code ob_size} begin: 24, or 40 on free-threaded builds. */
    private static long varObjectFields = 24;
    /** Where a PyObject's own fields begin: 16, or 32 on free-threaded builds. */
    private static long objectFields = 16;

    private static NativeLibrary library;

    static void bind(NativeLibrary lib, int minorVersion, boolean debugBuild, boolean freeThreadedBuild) {
        library = lib;
        minor = minorVersion;
        immortals = minorVersion >= 12;
        countThroughFunctions = debugBuild || freeThreadedBuild;
        freeThreaded = freeThreadedBuild;
        objectFields = Memory.objectHeaderSize();
        varObjectFields = objectFields + 8;
        Native.register(PreInit.class, lib);
        Native.register(RefCountFunctions.class, lib);
        Native.register(Ints.class, lib);
        if (minorVersion >= 10) {
            Native.register(Interrupts.class, lib);
        }
        if (minorVersion >= 13) {
            Native.register(StrongReads.class, lib);
        }
    }

    /** Names the executable (so {@code sys.executable} and venv detection follow it) and the home. */
    public static void configureStartup(String programName, String home) {
        // Py_DecodeLocale's buffers must outlive the interpreter: they are intentionally never freed.
        PreInit.Py_SetProgramName(CPython.Py_DecodeLocale(programName, 0));
        if (home != null) {
            PreInit.Py_SetPythonHome(CPython.Py_DecodeLocale(home, 0));
        }
    }

    /**
     * Whether this Python is a free-threaded build: threads attached to the same interpreter run
     * Python at once, so what jawait kept safe by holding the GIL needs a lock of its own.
     */
    public static boolean freeThreaded() {
        return freeThreaded;
    }

    /**
     * The item array of a list just made with {@code PyList_New(n)}: n NULL slots that the caller
     * fills with new references (which the list then owns), as {@code PyList_SET_ITEM} does.
     */
    public static long listItems(long list) {
        return Memory.getLong(list + varObjectFields);
    }

    /** The item array of a tuple ({@code PyTupleObject.ob_item}, inline after the header; 3.9 to 3.13 alike). */
    public static long tupleItems(long tuple) {
        return tuple + varObjectFields;
    }

    /**
     * {@code Py_INCREF(o)} as the release-build C macro does it, in Java: {@code ob_refcnt + 1};
     * from 3.12 on the low 32 bits, saturating, so that immortal objects (all ones there) stay as they
     * are. The caller holds the GIL, as C code must.
     */
    static void incref(long o) {
        if (countThroughFunctions) {
            RefCountFunctions.Py_IncRef(o);
        } else if (immortals) {
            int count = Memory.getInt(o) + 1; // ob_refcnt_split[0] on little-endian 64-bit builds
            if (count != 0) {
                Memory.putInt(o, count);
            }
        } else {
            Memory.putLong(o, Memory.getLong(o) + 1);
        }
    }

    /**
     * {@code Py_DECREF(o)} as the release-build C macro does it, in Java, leaving immortal objects
     * (3.12+: negative as a 32-bit count) alone; the last reference goes through {@code Py_DecRef},
     * which deallocates. The caller holds the GIL.
     */
    static void decref(long o) {
        if (countThroughFunctions || (immortals && Memory.getInt(o) < 0)) {
            if (countThroughFunctions) {
                RefCountFunctions.Py_DecRef(o);
            }
            return;
        }
        long count = Memory.getLong(o);
        if (count == 1) {
            RefCountFunctions.Py_DecRef(o);
        } else {
            Memory.putLong(o, count - 1);
        }
    }

    private static final class RefCountFunctions {
        static native void Py_IncRef(long o);

        static native void Py_DecRef(long o);
    }

    /** What {@link #compactInt} returns for an int it does not read in Java. */
    public static final long NOT_COMPACT = Long.MIN_VALUE;

    /** The in-Java readers matched CPython on this build (checked at start-up by {@link #checkNumberLayouts}). */
    private static boolean numbersInJava;

    /**
     * The value of an exact {@code int} of at most two 30-bit digits (|value| < 2^60), read from
     * its object as CPython lays it out, or {@link #NOT_COMPACT}: ask {@code PyLong_AsLongLong}.
     * Before 3.12 the signed digit count is {@code ob_size}; from 3.12 {@code lv_tag} holds the count
     * shifted by 3 and the sign in its low bits (0 positive, 1 zero, 2 negative).
     */
    public static long compactInt(long o) {
        if (!numbersInJava) {
            return NOT_COMPACT;
        }
        long header = Memory.getLong(o + objectFields); // ob_size, or lv_tag from 3.12
        long digits;
        boolean negative;
        if (minor >= 12) {
            digits = header >>> 3;
            negative = (header & 3) == 2;
        } else {
            digits = Math.abs(header);
            negative = header < 0;
        }
        long magnitude;
        if (digits == 0) {
            return 0;
        } else if (digits == 1) {
            magnitude = Memory.getInt(o + varObjectFields) & 0xFFFFFFFFL;
        } else if (digits == 2) {
            magnitude = (Memory.getInt(o + varObjectFields) & 0xFFFFFFFFL)
                    | (Memory.getInt(o + varObjectFields + 4) & 0xFFFFFFFFL) << 30;
        } else {
            return NOT_COMPACT;
        }
        return negative ? -magnitude : magnitude;
    }

    /** The value of an exact {@code float} ({@code ob_fval}); GIL held. */
    public static double floatValue(long o) {
        return numbersInJava ? Memory.getDouble(o + objectFields) : CPython.PyFloat_AsDouble(o);
    }

    /**
     * Reads ints and floats in Java only if that gives what CPython gives on this build (30-bit
     * digits, the layouts above): checked once, right after start-up, on a few values. GIL held.
     */
    public static void checkNumberLayouts() {
        numbersInJava = true;
        long[] samples = {0, 1, -1, 7, 1L << 29, (1L << 30) + 3, -(1L << 40) - 5, (1L << 59) + 1, -(1L << 59)};
        for (long sample : samples) {
            long o = CPython.PyLong_FromLongLong(sample);
            boolean same = compactInt(o) == sample;
            CPython.Py_DecRef(o);
            numbersInJava &= same;
        }
        long f = CPython.PyFloat_FromDouble(-2.5);
        numbersInJava &= Memory.getDouble(f + objectFields) == -2.5;
        CPython.Py_DecRef(f);
    }

    /** {@code PyStatus}, returned by value by the configuration functions (start-up only, so JNA's interface mapping). */
    @Structure.FieldOrder({"type", "function", "message", "exitCode"})
    public static final class PyStatus extends Structure implements Structure.ByValue {
        public int type;
        public Pointer function;
        public Pointer message;
        public int exitCode;
    }

    private interface IsolatedInterpreters extends Library {
        PyStatus Py_NewInterpreterFromConfig(PointerByReference threadState, Pointer config);
    }

    private static volatile IsolatedInterpreters isolatedInterpreters;

    /**
     * A new isolated interpreter (3.12+, {@code Py_NewInterpreterFromConfig} with CPython's isolated
     * configuration: its own GIL and object allocator, multi-phase-init extensions only, no fork,
     * exec or daemon threads). Returns its first thread state, current on the calling thread with
     * the new GIL held; the thread state current before is detached. {@code PyInterpreterConfig}
     * (seven ints) is laid out alike in 3.12 and 3.13.
     */
    public static long newIsolatedInterpreter() {
        IsolatedInterpreters api = isolatedInterpreters;
        if (api == null) {
            api = isolatedInterpreters = Native.load(library.getFile().getPath(), IsolatedInterpreters.class);
        }
        int[] isolated = {
            0 /* use_main_obmalloc */,
            0 /* allow_fork */,
            0 /* allow_exec */,
            1 /* allow_threads */,
            0 /* allow_daemon_threads */,
            1 /* check_multi_interp_extensions */,
            2 /* gil: OWN */
        };
        com.sun.jna.Memory config = new com.sun.jna.Memory(4L * isolated.length);
        config.write(0, isolated, 0, isolated.length);
        PointerByReference threadState = new PointerByReference();
        PyStatus status = api.Py_NewInterpreterFromConfig(threadState, config);
        if (status.type != 0) {
            throw new IllegalStateException("CPython could not make an isolated interpreter: "
                    + (status.message == null ? "status " + status.type : status.message.getString(0)));
        }
        return Pointer.nativeValue(threadState.getValue());
    }

    /** True when objects such as None and small ints are immortal (CPython 3.12+). */
    public static boolean hasImmortalObjects() {
        return minor >= 12;
    }

    /** The bit length of a Python int ({@code abs(o).bit_length()}), or -1 with an OverflowError set. */
    public static long intBitLength(long o) {
        return Ints._PyLong_NumBits(o);
    }

    /** Writes {@code o} as {@code length} big-endian two's-complement bytes; -1 with a Python error if it does not fit. */
    public static int intToBytes(long o, long buffer, long length) {
        return Ints._PyLong_AsByteArray(o, buffer, length, 0, 1, 1);
    }

    /** new: the int of {@code length} big-endian two's-complement bytes. */
    public static long intFromBytes(long buffer, long length) {
        return Ints._PyLong_FromByteArray(buffer, length, 0, 1);
    }

    /**
     * Trips Python's handler of {@code signum} as the signal itself would: Python runs the handler on
     * its main thread at its next check, and writes the number to the wakeup fd that asyncio and trio
     * watch. Needs no GIL. {@code pythonSignalHandler} is Python's C-level handler as read from a
     * disposition Python installed (3.9 calls it; later versions need it not).
     */
    public static void tripSignal(int signum, long pythonSignalHandler) {
        if (minor >= 10) {
            Interrupts.PyErr_SetInterruptEx(signum);
        } else if (pythonSignalHandler != 0) {
            Function.getFunction(new Pointer(pythonSignalHandler)).invoke(new Object[] {signum});
        }
    }

    /**
     * The most C stack, in bytes, that one level of Python's recursion count takes on this version:
     * the worst measured across kinds of recursion (Python calls, calls through C such as
     * {@code map}, properties and {@code __getattr__}, {@code eval}, nested containers' repr), with
     * a margin for other builds. To 3.11 every Python call counts and takes C stack; from 3.12 only C
     * recursion counts, and Python-to-Python calls take none.
     */
    public static long stackBytesPerRecursion() {
        return minor >= 12 ? 640 : 1024;
    }

    /** C recursion levels a new thread state may use (3.12+), counted once; 0 until then. */
    private static int cRecursionLimit;

    private static final long EMPTY_C_STRING = Memory.allocatePermanent(1);

    /**
     * How many levels Python's C-stack-using recursion may go on a new thread state: to 3.11
     * {@code sys.getrecursionlimit()}, which Python code may change; from 3.12 the C recursion limit,
     * fixed when Python was built, counted once by using every level up (GIL held, thread state new).
     */
    public static int recursionLimit() {
        if (minor < 12) {
            return CPython.Py_GetRecursionLimit();
        }
        if (cRecursionLimit == 0) {
            if (recursionCounterStep == 0) {
                findRecursionCounter(CPython.PyThreadState_Get()); // before the counter is used up below
            }
            int levels = 0;
            while (levels < 1_000_000 && CPython.Py_EnterRecursiveCall(EMPTY_C_STRING) == 0) {
                levels++;
            }
            CPython.PyErr_Clear(); // the RecursionError that marked the limit
            useRecursionLevels(-levels);
            cRecursionLimit = levels;
        }
        return cRecursionLimit;
    }

    /** Whether Python code can change {@link #recursionLimit} ({@code sys.setrecursionlimit}, to 3.11). */
    public static boolean recursionLimitChanges() {
        return minor < 12;
    }

    /**
     * Counts {@code levels} more levels of recursion as in use on the calling thread (fewer if
     * negative), with {@code Py_EnterRecursiveCall} and {@code Py_LeaveRecursiveCall}: the levels
     * left to its code are fewer by as many. GIL held.
     */
    public static void useRecursionLevels(int levels) {
        if (levels == 0) {
            return;
        }
        long threadState = CPython.PyThreadState_Get();
        if (recursionCounterStep == 0) {
            findRecursionCounter(threadState);
        }
        if (recursionCounterStep != NOT_FOUND) { // one write instead of a call per level (thousands: ~0.6 ms)
            long counter = threadState + recursionCounterOffset;
            Memory.putInt(counter, Memory.getInt(counter) + recursionCounterStep * levels);
            return;
        }
        for (int i = 0; i < levels; i++) {
            CPython.Py_EnterRecursiveCall(EMPTY_C_STRING);
        }
        for (int i = 0; i > levels; i--) {
            CPython.Py_LeaveRecursiveCall();
        }
    }

    private static final int NOT_FOUND = Integer.MIN_VALUE;
    /** The thread state field that {@code Py_EnterRecursiveCall} changes, and by what; found once. */
    private static long recursionCounterOffset;

    private static int recursionCounterStep;

    /**
     * Finds the field {@code Py_EnterRecursiveCall} counts in (its name and place change between
     * versions: recursion_depth, recursion_remaining, c_recursion_remaining) as the one int of the
     * thread state that one call changes by one. GIL held.
     */
    private static void findRecursionCounter(long threadState) {
        int ints = 64; // the counters lie in the struct's first 100 bytes on 3.9-3.13
        int[] before = new int[ints];
        for (int i = 0; i < ints; i++) {
            before[i] = Memory.getInt(threadState + 4L * i);
        }
        boolean refused = CPython.Py_EnterRecursiveCall(EMPTY_C_STRING) != 0;
        int found = -1;
        int step = NOT_FOUND;
        for (int i = 0; i < ints; i++) {
            int change = Memory.getInt(threadState + 4L * i) - before[i];
            if (change != 0) {
                step = found < 0 && Math.abs(change) == 1 ? change : NOT_FOUND;
                found = i;
            }
        }
        CPython.Py_LeaveRecursiveCall();
        if (refused) { // at the limit already: a RecursionError is set; count by calls
            CPython.PyErr_Clear();
            step = NOT_FOUND;
        }
        recursionCounterOffset = 4L * Math.max(found, 0);
        recursionCounterStep = step;
    }

    /**
     * new: {@code dict[key]}, or 0 if absent (a Python error set if the lookup failed: check
     * {@code PyErr_Occurred}). A strong reference, read safely while other threads may change the
     * dict: {@code PyDict_GetItemRef} from 3.13; before, the borrowed item of
     * {@code PyDict_GetItemWithError}, safe under the GIL, made strong.
     */
    public static long dictItem(long dict, long key, long scratch) {
        if (minor < 13) {
            long item = CPython.PyDict_GetItemWithError(dict, key);
            CPython.Py_IncRef(item);
            return item;
        }
        StrongReads.PyDict_GetItemRef(dict, key, scratch);
        return Memory.getLong(scratch);
    }

    /**
     * new: the module named {@code name} in {@code sys.modules}, made empty if missing
     * ({@code PyImport_AddModuleRef} from 3.13; before, {@code PyImport_AddModule}'s borrowed one, made
     * strong under the GIL); 0 with a Python error.
     */
    public static long addModule(String name) {
        if (minor < 13) {
            long module = CPython.PyImport_AddModule(name);
            CPython.Py_IncRef(module);
            return module;
        }
        return StrongReads.PyImport_AddModuleRef(name);
    }

    private static final class StrongReads {
        static native int PyDict_GetItemRef(long dict, long key, long resultOut);

        static native long PyImport_AddModuleRef(String name);
    }

    private static final class Interrupts {
        static native int PyErr_SetInterruptEx(int signum);
    }

    private static final class Ints {
        static native long _PyLong_NumBits(long o);

        static native int _PyLong_AsByteArray(
                long o, long bytes, long n, int littleEndian, int isSigned, int withExceptions);

        static native long _PyLong_FromByteArray(long bytes, long n, int littleEndian, int isSigned);
    }

    private static final class PreInit {
        static native void Py_SetProgramName(long name);

        static native void Py_SetPythonHome(long home);
    }
}
