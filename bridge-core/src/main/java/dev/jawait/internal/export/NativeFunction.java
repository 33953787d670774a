package dev.jawait.internal.export;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Callbacks;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java body callable from Python as a built-in function ({@code METH_FASTCALL | METH_KEYWORDS}),
 * through a JNA direct callback: one crossing per call.
 *
 * <p>The entry point never lets a Java exception escape into C: any {@link Throwable} becomes the
 * Python exception of the call.
 */
public final class NativeFunction {
    private static final int METH_FASTCALL_KEYWORDS = 0x80 | 0x02;
    // Method tables and callbacks are referenced by C for the interpreter's lifetime.
    private static final List<Object> KEEP_ALIVE = new ArrayList<>();

    /** Returns a new reference, or 0 with a Python exception set; {@code attachment} is the calling thread's. */
    @FunctionalInterface
    public interface Body {
        long call(ThreadAttachment attachment, long args, long nargs, long kwnames) throws Throwable;
    }

    private final long methodDef;

    private NativeFunction(long methodDef) {
        this.methodDef = methodDef;
    }

    /** Creates the C method table entry for {@code body}; the caller holds the GIL. */
    public static NativeFunction create(String name, String doc, Body body) {
        Callbacks.FastCall entry = (self, args, nargs, kwnames) -> {
            ThreadAttachment attachment = ThreadAttachment.current();
            int depth = attachment.enterFromPython();
            try {
                attachment.interpreter().drainDeferred();
                return body.call(attachment, args, nargs, kwnames);
            } catch (Throwable t) {
                PythonErrors.raise(t);
                return 0;
            } finally {
                attachment.exitFromPython(depth);
            }
        };
        // PyMethodDef {const char *ml_name; PyCFunction ml_meth; int ml_flags; const char *ml_doc;}
        long def = Memory.allocatePermanent(32);
        Memory.putLong(def, Memory.permanentCString(name));
        Memory.putLong(def + 8, Callbacks.functionPointer(entry));
        Memory.putInt(def + 16, METH_FASTCALL_KEYWORDS);
        Memory.putLong(def + 24, doc == null || doc.isEmpty() ? 0 : Memory.permanentCString(doc));
        synchronized (KEEP_ALIVE) {
            KEEP_ALIVE.add(entry);
        }
        return new NativeFunction(def);
    }

    /** A new built-in function object whose {@code __module__} is {@code moduleName}. */
    public long newBuiltin(String moduleName) {
        long module = ToPython.string(moduleName);
        try {
            return ToPython.checked(CPython.PyCFunction_NewEx(methodDef, 0, module));
        } finally {
            CPython.Py_DecRef(module);
        }
    }
}
