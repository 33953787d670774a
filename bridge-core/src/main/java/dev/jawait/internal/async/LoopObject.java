package dev.jawait.internal.async;

import dev.jawait.PyObject;
import dev.jawait.Python;

/**
 * A Python object that Java asks for from any thread but that is made on an event loop's thread,
 * with the GIL, once the loop gets to the work that needs it: the awaitable of a submitted call, the
 * async iterable of a publisher.
 */
public interface LoopObject {
    /** Makes the object; on the loop's thread, GIL held. */
    PyObject create();

    /** Lets go of what this holds; called once, whether {@link #create} ran or the loop refused the work. */
    void release();

    /** {@code object} itself, kept with a reference of its own (taken without the GIL) until released. */
    static LoopObject kept(PyObject object) {
        PyObject own = object.newReference();
        return new LoopObject() {
            @Override
            public PyObject create() {
                return own.newReference();
            }

            @Override
            public void release() {
                own.close();
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
            public PyObject create() {
                return Python.get().attach(py -> {
                    try (PyObject m = py.importModule(module)) {
                        return m.getAttr(name);
                    }
                });
            }

            @Override
            public void release() {}
        };
    }

    /** What calling {@code function} with {@code arguments} returns; both are released with it. */
    static LoopObject called(LoopObject function, KeptArguments arguments) {
        return new LoopObject() {
            @Override
            public PyObject create() {
                try (PyObject callable = function.create()) {
                    return callable.call(arguments.values());
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
