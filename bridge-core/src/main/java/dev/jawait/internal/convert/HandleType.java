package dev.jawait.internal.convert;

import com.sun.jna.Callback;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Callbacks;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.ffi.VersionSpecific;
import dev.jawait.internal.runtime.InterpreterLocal;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Python type whose instances stand for Java objects: each instance holds an index into a
 * handle table (right after the object header) and releases it when Python frees the instance.
 * Instances compare and hash by the Java object's {@code equals}/{@code hashCode}. Python code
 * cannot create instances; only Java can. Each interpreter has its own type object and table,
 * guarded by its GIL.
 */
public final class HandleType {
    private static final int PY_TP_DEALLOC = 52,
            PY_TP_HASH = 59,
            PY_TP_NEW = 65,
            PY_TP_REPR = 66,
            PY_TP_RICHCOMPARE = 67,
            PY_TP_DOC = 56;
    private static final long PY_TPFLAGS_DEFAULT = 1L << 18;
    private static final int PY_EQ = 2, PY_NE = 3;
    /** Where an instance keeps its handle: right after the object header, whose size the build sets. */
    private static final long HANDLE_OFFSET = Memory.objectHeaderSize();

    /** Each interpreter's table of the Java objects its handles stand for. */
    private static final InterpreterLocal<HandleTable> TABLES = new InterpreterLocal<>(HandleTable::new);
    /** Specs by type name, made once: each interpreter makes its own type object from the same spec. */
    private static final Map<String, Long> SPECS = new HashMap<>(); // guarded by itself
    // JNA frees a callback's trampoline when the Java object is collected; these serve every interpreter.
    private static final Callbacks.Destructor DEALLOC = HandleType::dealloc;
    private static final Callbacks.UnaryFunction REPR = HandleType::repr;
    private static final Callbacks.HashFunction HASH = HandleType::hash;
    private static final Callbacks.RichCompare COMPARE = HandleType::richCompare;
    private static final List<Callback> REFUSE_NEW = new ArrayList<>();

    private final String name;
    private final long type;

    private HandleType(String name, long type) {
        this.name = name;
        this.type = type;
    }

    /**
     * Makes the type in the interpreter whose GIL the caller holds; {@code qualifiedName} is
     * "module.Name".
     */
    public static HandleType create(String qualifiedName, String doc) {
        long spec;
        synchronized (SPECS) {
            spec = SPECS.computeIfAbsent(qualifiedName, n -> spec(n, doc));
        }
        return new HandleType(qualifiedName, ToPython.checked(CPython.PyType_FromSpec(spec)));
    }

    /** A {@code PyType_Spec} for instances that hold a handle; permanent (3.9-3.11 keep pointing at it). */
    private static long spec(String qualifiedName, String doc) {
        Callbacks.NewFunction refuseNew = (cls, args, kwargs) -> {
            CPython.PyErr_SetString(
                    Symbols.EXC_TYPE_ERROR,
                    "cannot create '" + qualifiedName + "' instances from Python; Java creates them");
            return 0;
        };
        REFUSE_NEW.add(refuseNew);
        long[][] slots = {
            {PY_TP_DEALLOC, Callbacks.functionPointer(DEALLOC)},
            {PY_TP_REPR, Callbacks.functionPointer(REPR)},
            {PY_TP_HASH, Callbacks.functionPointer(HASH)},
            {PY_TP_RICHCOMPARE, Callbacks.functionPointer(COMPARE)},
            {PY_TP_NEW, Callbacks.functionPointer(refuseNew)},
            {PY_TP_DOC, Memory.permanentCString(doc)},
            {0, 0},
        };
        long slotArray = Memory.allocatePermanent(16L * slots.length); // PyType_Slot {int slot; void *pfunc;}
        for (int i = 0; i < slots.length; i++) {
            Memory.putInt(slotArray + 16L * i, (int) slots[i][0]);
            Memory.putLong(slotArray + 16L * i + 8, slots[i][1]);
        }
        // PyType_Spec {const char *name; int basicsize; int itemsize; unsigned int flags; PyType_Slot *slots;}
        long spec = Memory.allocatePermanent(32);
        Memory.putLong(spec, Memory.permanentCString(qualifiedName));
        Memory.putInt(spec + 8, (int) HANDLE_OFFSET + 8);
        Memory.putInt(spec + 12, 0);
        Memory.putInt(spec + 16, (int) PY_TPFLAGS_DEFAULT);
        Memory.putLong(spec + 24, slotArray);
        return spec;
    }

    /** A Java object that learns when the last Python handle standing for it is freed. */
    public interface ReleasedByPython {
        /** Called with the GIL held, after the handle's memory is gone; must not throw. */
        void releasedByPython();
    }

    /** A borrowed reference to the type object. */
    public long typeObject() {
        return type;
    }

    /** A new instance standing for {@code value}. */
    public long wrap(Object value) {
        long instance = ToPython.checked(CPython.PyType_GenericAlloc(type, 0));
        Memory.putLong(instance + HANDLE_OFFSET, TABLES.get().put(value));
        return instance;
    }

    public boolean isInstance(long o) {
        return Memory.typeOf(o) == type;
    }

    /** The Java object an instance of any handle type stands for; in the interpreter it belongs to. */
    public static Object unwrap(long instance) {
        return TABLES.get().get(Memory.getLong(instance + HANDLE_OFFSET));
    }

    private static void dealloc(long self) {
        ThreadAttachment attachment = ThreadAttachment.current();
        int depth = attachment.enterFromPython(); // in the interpreter that frees it, whose table holds it
        try {
            Object released = TABLES.get(attachment.interpreter()).remove(Memory.getLong(self + HANDLE_OFFSET));
            long type = Memory.typeOf(self);
            CPython.PyObject_Free(self);
            CPython.Py_DecRef(type); // instances of heap types own a reference to their type
            if (released instanceof ReleasedByPython r) {
                r.releasedByPython();
            }
        } catch (Throwable t) {
            System.getLogger(HandleType.class.getName())
                    .log(System.Logger.Level.WARNING, "releasing a Java object's handle failed", t);
        } finally {
            attachment.exitFromPython(depth);
        }
    }

    private static long repr(long self) {
        ThreadAttachment attachment = ThreadAttachment.current();
        int depth = attachment.enterFromPython();
        try {
            Object value = unwrap(self);
            String text = value == null ? "null" : String.valueOf(value);
            if (text.length() > 200) {
                text = text.substring(0, 197) + "...";
            }
            String typeName = value == null ? "null" : value.getClass().getName();
            return ToPython.string("<java " + typeName + ": " + text + ">");
        } catch (Throwable t) {
            PythonErrors.raise(t);
            return 0;
        } finally {
            attachment.exitFromPython(depth);
        }
    }

    private static long hash(long self) {
        ThreadAttachment attachment = ThreadAttachment.current();
        int depth = attachment.enterFromPython();
        try {
            long hash = Objects.hashCode(unwrap(self));
            return hash == -1 ? -2 : hash; // -1 means "error" to CPython
        } catch (Throwable t) {
            PythonErrors.raise(t);
            return -1;
        } finally {
            attachment.exitFromPython(depth);
        }
    }

    private static long richCompare(long self, long other, int op) {
        ThreadAttachment attachment = ThreadAttachment.current();
        int depth = attachment.enterFromPython();
        try {
            if ((op != PY_EQ && op != PY_NE) || Memory.typeOf(other) != Memory.typeOf(self)) {
                return ToPython.newReference(Symbols.NOT_IMPLEMENTED);
            }
            boolean equal = Objects.equals(unwrap(self), unwrap(other));
            return ToPython.bool(op == PY_EQ ? equal : !equal);
        } catch (Throwable t) {
            PythonErrors.raise(t);
            return 0;
        } finally {
            attachment.exitFromPython(depth);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Java objects by index, reused through a free list; 0 means none. Guarded by the GIL, and on
     * free-threaded builds, where threads run Python at once, by its own lock as well.
     */
    private static final class HandleTable {
        long put(Object value) {
            if (VersionSpecific.freeThreaded()) {
                synchronized (this) {
                    return putUnlocked(value);
                }
            }
            return putUnlocked(value);
        }

        Object get(long handle) {
            if (VersionSpecific.freeThreaded()) {
                synchronized (this) {
                    return getUnlocked(handle);
                }
            }
            return getUnlocked(handle);
        }

        Object remove(long handle) {
            if (VersionSpecific.freeThreaded()) {
                synchronized (this) {
                    return removeUnlocked(handle);
                }
            }
            return removeUnlocked(handle);
        }

        private Object[] objects = new Object[256];
        private int[] free = new int[256];
        private int freeCount;
        private int used;

        private long putUnlocked(Object value) {
            int index;
            if (freeCount > 0) {
                index = free[--freeCount];
            } else {
                if (used == objects.length) {
                    objects = Arrays.copyOf(objects, used * 2);
                }
                index = used++;
            }
            objects[index] = value;
            return index + 1L;
        }

        private Object getUnlocked(long handle) {
            return handle == 0 ? null : objects[(int) handle - 1];
        }

        /** Frees the handle; returns the object it stood for. */
        private Object removeUnlocked(long handle) {
            if (handle == 0) {
                return null;
            }
            int index = (int) handle - 1;
            Object removed = objects[index];
            objects[index] = null;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = index;
            return removed;
        }
    }
}
