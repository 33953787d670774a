package dev.jawait;

/** Work done with the GIL held; see {@link Python#run(GilAction)}. */
@FunctionalInterface
public interface GilAction {
    void run(Py py);
}
