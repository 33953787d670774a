package dev.jawait.internal.convert;

import dev.jawait.PyObject;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.runtime.Gil;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;

/**
 * Python callables as Java functional interfaces ({@code Function}, {@code Consumer},
 * {@code Runnable}, your own single-method interfaces). Calling the proxy from any Java thread takes
 * the GIL, calls the Python object and converts its result to the method's return type.
 *
 * <p>A callable passed to an async function keeps the context (contextvars) of the coroutine that
 * awaited it: each call runs in a copy of that context, whichever Java thread makes it.
 */
final class PythonCallables {
    private PythonCallables() {}

    private static final PyFunctionRef COPY_CONTEXT = new PyFunctionRef("contextvars", "copy_context");
    private static final PyFunctionRef CALL_IN = new PyFunctionRef("jawait._async", "call_in");

    static boolean isFunctionalInterface(Class<?> type) {
        return type.isInterface() && singleAbstractMethod(type) != null;
    }

    static Object proxy(Class<?> type, long callable) {
        Method target = singleAbstractMethod(type);
        PyObject function = Bridge.references().borrow(callable);
        Interpreter home = ThreadAttachment.current().interpreter();
        PyObject context = ThreadAttachment.current().isBindingAsyncArguments()
                ? Bridge.references().steal(PyCalls.call(COPY_CONTEXT.get()))
                : null;
        Converters.Converter result =
                target.getReturnType() == void.class ? null : Converters.forType(target.getGenericReturnType());
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "Python callable as " + type.getName();
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Object[] arguments = args == null ? new Object[0] : args;
            return Gil.call(home, () -> {
                try (PyObject value =
                        context == null ? function.call(arguments) : callIn(context, function, arguments)) {
                    return result == null
                            ? null
                            : result.convert(Bridge.references().address(value));
                }
            });
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** {@code context.copy().run(function, *arguments)}, in one call. GIL held. */
    private static PyObject callIn(PyObject context, PyObject function, Object[] arguments) {
        Object[] callArguments = new Object[arguments.length + 2];
        callArguments[0] = context;
        callArguments[1] = function;
        System.arraycopy(arguments, 0, callArguments, 2, arguments.length);
        try (PyObject callIn = Bridge.references().borrow(CALL_IN.get())) {
            return callIn.call(callArguments);
        }
    }

    static Method singleAbstractMethod(Class<?> type) {
        Method found = null;
        for (Method m : type.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m)) {
                if (found != null) {
                    return null;
                }
                found = m;
            }
        }
        return found;
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
