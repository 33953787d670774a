package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.LibC;
import dev.jawait.internal.ffi.VersionSpecific;

/**
 * How deep Python code may recurse on a Java thread, so that it never overflows the thread's stack.
 *
 * <p>Python limits recursion by count ({@code sys.getrecursionlimit()}, and from 3.12 a build-time
 * limit on C recursion), sized for the 8 MB stack of the python command's main thread. A Java thread
 * has 1 MB unless {@code -Xss} or its constructor says otherwise, and native code that runs past its
 * end ends the JVM at once, without a message. So a Java thread gets as many levels as its stack
 * holds ({@link VersionSpecific#stackBytesPerRecursion} each, after a reserve for the Java frames
 * below Python and the JVM's guard pages), by counting the rest of Python's limit as in use: deeper
 * recursion raises RecursionError, as it would past the limit. A thread with room for the whole
 * limit (jawait's own 32 MB threads, {@code -Xss8m}) is left as it is, until a higher
 * {@code sys.setrecursionlimit} (to 3.11) makes the limit more than its stack holds.
 */
public final class RecursionBudget {
    /** Most of the stack kept for what runs below Python on the thread; a quarter of a small stack. */
    private static final long RESERVE = 256 << 10;
    /** Bumped when Python code changes the recursion limit (to 3.11); each thread follows at its next attach. */
    private static volatile int limitChanges;

    private final int budget;
    private int levelsInUse;
    private int limitChangesSeen = -1;

    private RecursionBudget(int budget) {
        this.budget = budget;
    }

    /** For a Java thread whose new Python thread state is current (GIL held). */
    static RecursionBudget fitToCurrentThread() {
        long stack = LibC.currentThreadStackSize();
        if (stack <= 0) {
            return null;
        }
        long usable = stack - Math.min(RESERVE, stack / 4);
        RecursionBudget budget = new RecursionBudget(
                (int) Math.min(Integer.MAX_VALUE, usable / VersionSpecific.stackBytesPerRecursion()));
        budget.followLimit();
        return budget;
    }

    /**
     * Python code is about to set the recursion limit to {@code limit} (GIL held): the calling thread
     * gives back the levels it would not use under the lower of the two limits, as Python refuses a
     * limit below the depth in use.
     */
    public static void limitChanging(int limit) {
        RecursionBudget budget = ThreadAttachment.current().recursionBudget();
        if (budget != null) {
            budget.useLevelsFor(Math.min(limit, VersionSpecific.recursionLimit()));
        }
    }

    /** Python code has set the recursion limit (GIL held): the calling thread follows now, the others at their next attach. */
    public static void limitChanged() {
        limitChanges++;
        RecursionBudget budget = ThreadAttachment.current().recursionBudget();
        if (budget != null) {
            budget.followLimit();
        }
    }

    /** Uses up what this thread's stack cannot hold of Python's current limit (GIL held, this thread). */
    void followLimit() {
        int changes = limitChanges;
        if (changes != limitChangesSeen) {
            useLevelsFor(VersionSpecific.recursionLimit());
            limitChangesSeen = changes;
        }
    }

    private void useLevelsFor(int limit) {
        int levels = Math.max(0, limit - budget);
        VersionSpecific.useRecursionLevels(levels - levelsInUse);
        levelsInUse = levels;
    }
}
