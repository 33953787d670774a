package dev.jawait.internal.convert;

import dev.jawait.PyObject;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.runtime.Gil;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;

/**
 * Python callables as Java functional interfaces ({@code Function}, {@code Consumer},
 * {@code Runnable}, your own single-method interfaces). Calling the proxy from any Java thread takes
 * the GIL, calls the Python object and converts its result to the method's return type.
 */
final class PythonCallables {
    private PythonCallables() {}

    static boolean isFunctionalInterface(Class<?> type) {
        return type.isInterface() && singleAbstractMethod(type) != null;
    }

    static Object proxy(Class<?> type, long callable) {
        Method target = singleAbstractMethod(type);
        PyObject function = Bridge.references().borrow(callable);
        Converters.Converter result = target.getReturnType() == void.class
                ? null : Converters.forType(target.getGenericReturnType());
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
            return Gil.call(() -> {
                try (PyObject value = function.call(args == null ? new Object[0] : args)) {
                    return result == null ? null : result.convert(Bridge.references().address(value));
                }
            });
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Method singleAbstractMethod(Class<?> type) {
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
