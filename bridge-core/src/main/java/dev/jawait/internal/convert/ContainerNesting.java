package dev.jawait.internal.convert;

import java.util.Arrays;

/**
 * The containers being converted on one thread, outermost first, in either direction: a container
 * that contains itself, or nesting deeper than {@value #MAX_DEPTH} levels, is refused with a clear
 * error instead of exhausting the stack.
 */
final class ContainerNesting {
    static final int MAX_DEPTH = 1000;

    private static final ThreadLocal<ContainerNesting> CURRENT = ThreadLocal.withInitial(ContainerNesting::new);

    /** Python containers by address, Java ones by identity: one stack each, as the directions never interleave. */
    private long[] python = new long[16];

    private int pythonDepth;
    private Object[] javaContainers = new Object[16];
    private int javaDepth;

    static ContainerNesting current() {
        return CURRENT.get();
    }

    /** Enters a Python container; {@link #exitPython()} must follow. {@code kind} names it for messages ("list"). */
    void enterPython(long container, String kind) {
        for (int i = 0; i < pythonDepth; i++) {
            if (python[i] == container) {
                throw new ConversionFailure(ConversionFailure.Kind.VALUE, "", "a " + kind + " that contains itself");
            }
        }
        if (pythonDepth == MAX_DEPTH) {
            throw new ConversionFailure(
                    ConversionFailure.Kind.VALUE, "", "a " + kind + " nested deeper than " + MAX_DEPTH + " levels");
        }
        if (pythonDepth == python.length) {
            python = Arrays.copyOf(python, pythonDepth * 2);
        }
        python[pythonDepth++] = container;
    }

    void exitPython() {
        pythonDepth--;
    }

    /** Enters a Java container (collection, map, array); {@link #exitJava()} must follow. */
    void enterJava(Object container) {
        for (int i = 0; i < javaDepth; i++) {
            if (javaContainers[i] == container) {
                throw new IllegalArgumentException(
                        "cannot convert a " + container.getClass().getName() + " that contains itself to Python");
            }
        }
        if (javaDepth == MAX_DEPTH) {
            throw new IllegalArgumentException("cannot convert a "
                    + container.getClass().getName() + " nested deeper than " + MAX_DEPTH + " levels to Python");
        }
        if (javaDepth == javaContainers.length) {
            javaContainers = Arrays.copyOf(javaContainers, javaDepth * 2);
        }
        javaContainers[javaDepth++] = container;
    }

    void exitJava() {
        javaContainers[--javaDepth] = null;
    }
}
