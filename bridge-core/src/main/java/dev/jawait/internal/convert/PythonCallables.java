package dev.jawait.internal.convert;

import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.Gil;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.OwnedReference;
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
    private static final PyFunctionRef PARTIAL = new PyFunctionRef("functools", "partial");

    static boolean isFunctionalInterface(Class<?> type) {
        return type.isInterface() && singleAbstractMethod(type) != null;
    }

    static Object proxy(Class<?> type, long callable) {
        Method target = singleAbstractMethod(type);
        Interpreter home = ThreadAttachment.current().interpreter();
        // In an async call, the callable runs in a copy of the awaiting coroutine's context:
        // functools.partial(call_in, context, callable), made once.
        OwnedReference function = ThreadAttachment.current().isBindingAsyncArguments()
                ? OwnedReference.steal(inCopiedContext(callable))
                : OwnedReference.borrow(callable);
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
                long value = PyCalls.callConverted(function.addressHere("a Python callable"), 0, arguments);
                try {
                    return result == null ? null : result.convert(value);
                } finally {
                    CPython.Py_DecRef(value);
                }
            });
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** A new reference to {@code functools.partial(call_in, contextvars.copy_context(), callable)}. GIL held. */
    private static long inCopiedContext(long callable) {
        long context = PyCalls.call(COPY_CONTEXT.get());
        try {
            return PyCalls.call(PARTIAL.get(), CALL_IN.get(), context, callable);
        } finally {
            CPython.Py_DecRef(context);
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
