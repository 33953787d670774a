package dev.jawait;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.SharedReference;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.List;

/**
 * This package's side of the {@link Bridge}: what internal code may do with the public classes'
 * private state. Installed once, when the Bridge is first read.
 */
final class ApiAccess implements Bridge.Core {
    static {
        Bridge.install(new ApiAccess());
    }

    private ApiAccess() {}

    @Override
    public long address(PyObject object) {
        return object.addressHere();
    }

    @Override
    public PyObject steal(long address) {
        return PyObject.steal(address);
    }

    @Override
    public PyObject borrow(long address) {
        return PyObject.borrow(address);
    }

    @Override
    public SharedReference retain(PyObject object) {
        return object.share();
    }

    @Override
    public boolean isHere(PyObject object) {
        return object.isHere();
    }

    @Override
    public Py open(ThreadAttachment attachment) {
        return new Py(attachment);
    }

    @Override
    public Py current(ThreadAttachment attachment) {
        return Py.current(attachment);
    }

    @Override
    public void close(Py token) {
        token.close();
    }

    @Override
    public PythonException create(
            String type, String qualifiedType, String message, List<String> hierarchy, PyObject exception) {
        return new PythonException(type, qualifiedType, message, hierarchy, exception);
    }

    @Override
    public PyObject exceptionObject(PythonException e) {
        return e.exception;
    }

    @Override
    public Interpreter interpreter(Python python) {
        return python.interpreter;
    }

    @Override
    public void nameExecutableSetting(Python.Builder builder, String name) {
        builder.executableSetting = name;
    }
}
