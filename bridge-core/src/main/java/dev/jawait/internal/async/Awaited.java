package dev.jawait.internal.async;

/** What a parked Python waiter waits for: a Java future's outcome, or a stream's next batch. */
interface Awaited {
    /**
     * The call was just parked on {@code channel}: arrange for {@code channel.complete(call)} once
     * the outcome is ready, at once if it already is. GIL held.
     */
    void whenReady(PendingCall call, LoopChannel channel);

    /** The outcome, converted for Python: a new reference, or throws the failure. Loop thread, GIL held. */
    long outcome() throws Throwable;

    /**
     * Python stopped waiting before the outcome was queued. GIL held; implementations release it
     * around Java code of their users.
     */
    void abandon();
}
