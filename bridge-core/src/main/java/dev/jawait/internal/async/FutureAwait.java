package dev.jawait.internal.async;

import dev.jawait.export.Cancellation;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.runtime.ThreadAttachment;

/** A Java future's outcome, for an async function's coroutine. */
final class FutureAwait implements Awaited {
    private final SourceFuture source;
    private final Cancellation cancellation;
    private volatile Object result;
    private volatile Throwable failure;

    FutureAwait(SourceFuture source, Cancellation cancellation) {
        this.source = source;
        this.cancellation = cancellation;
    }

    @Override
    public void whenReady(PendingCall call, LoopChannel channel) {
        source.onComplete((value, error) -> {
            result = value;
            failure = error;
            channel.complete(call);
        });
    }

    @Override
    public long outcome() throws Throwable {
        Throwable f = failure;
        if (f != null) {
            throw f;
        }
        return ToPython.convert(result);
    }

    @Override
    public void abandon() {
        ThreadAttachment.current()
                .withoutGil(
                        () -> { // cancel(true) and hooks run Java code
                            source.cancel();
                            if (cancellation != null) {
                                Bridge.cancellations().cancel(cancellation);
                            }
                        });
    }
}
