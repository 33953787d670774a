package dev.jawait;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.runtime.AttachScope;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.ReferenceClaim;
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
    public Class<?> objectClass() {
        return PyObject.class;
    }

    @Override
    public Class<?> tokenClass() {
        return Py.class;
    }

    @Override
    public Object steal(long address) {
        return PyObject.steal(address);
    }

    @Override
    public Object borrow(long address) {
        return PyObject.borrow(address);
    }

    @Override
    public ReferenceClaim claim(Object value) {
        return ((PyObject) value).claim;
    }

    @Override
    public Object token(AttachScope scope) {
        return new Py(scope);
    }

    @Override
    public RuntimeException create(
            String type, String qualifiedType, String message, List<String> hierarchy, Object exception) {
        return new PythonException(type, qualifiedType, message, hierarchy, (PyObject) exception);
    }

    @Override
    public ReferenceClaim exceptionObject(Throwable e) {
        return e instanceof PythonException p && p.exception != null ? p.exception.claim : null;
    }

    @Override
    public boolean isPythonError(Throwable e, String typeName) {
        return e instanceof PythonException p && p.isInstance(typeName);
    }

    @Override
    public String pythonMessage(Throwable e) {
        return e instanceof PythonException p ? p.pythonMessage() : null;
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
