package dev.jawait.internal.async;

import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.SharedReference;

/**
 * A Python object that Java asks for from any thread but that is made on an event loop's thread,
 * with the GIL, once the loop gets to the work that needs it: the awaitable of a submitted call, the
 * async iterable of a publisher. Holds no PyObject (and no Cleaner) of its own: a submission costs
 * the heap one small object.
 */
public interface LoopObject {
    /** A new reference to the object; on the loop's thread, GIL held. */
    long create();

    /** Lets go of what this holds; called once, whether {@link #create} ran or the loop refused the work. */
    void release();

    /** The object {@code share} is a share of (taken without the GIL), which it releases. */
    static LoopObject kept(SharedReference share) {
        return new LoopObject() {
            @Override
            public long create() {
                return ToPython.newReference(share.addressHere("a PyObject passed to Python"));
            }

            @Override
            public void release() {
                share.release();
            }
        };
    }

    /** What {@code function(*arguments)} returns; the share of the function and the arguments are kept until released. */
    static LoopObject call(SharedReference share, KeptArguments arguments) {
        return new LoopObject() {
            @Override
            public long create() {
                return arguments.call(share.addressHere("a PyObject passed to Python"));
            }

            @Override
            public void release() {
                share.release();
                arguments.close();
            }
        };
    }

    /** The attribute that {@code "package.module.name"} names, imported on the loop. */
    static LoopObject named(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        if (dot <= 0 || dot == qualifiedName.length() - 1) {
            throw new IllegalArgumentException("'" + qualifiedName + "' is not a module-qualified name; give "
                    + "\"module.function\", such as \"app.jobs.refresh\"");
        }
        String module = qualifiedName.substring(0, dot);
        String name = qualifiedName.substring(dot + 1);
        return new LoopObject() {
            @Override
            public long create() {
                long imported = ToPython.checked(CPython.PyImport_ImportModule(module));
                long attribute = 0;
                try {
                    attribute = ToPython.string(name);
                    return ToPython.checked(CPython.PyObject_GetAttr(imported, attribute));
                } finally {
                    CPython.Py_DecRef(imported);
                    if (attribute != 0) {
                        CPython.Py_DecRef(attribute);
                    }
                }
            }

            @Override
            public void release() {}
        };
    }

    /** What calling the object {@code function} makes with {@code arguments} returns; both are released with it. */
    static LoopObject called(LoopObject function, KeptArguments arguments) {
        return new LoopObject() {
            @Override
            public long create() {
                long callable = function.create();
                try {
                    return arguments.call(callable);
                } finally {
                    CPython.Py_DecRef(callable);
                }
            }

            @Override
            public void release() {
                function.release();
                arguments.close();
            }
        };
    }
}
