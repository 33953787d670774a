package dev.jawait;

/** Work done with the GIL held that produces a value; see {@link Python#attach(GilFunction)}. */
@FunctionalInterface
public interface GilFunction<T> {
    T apply(Py py);
}
