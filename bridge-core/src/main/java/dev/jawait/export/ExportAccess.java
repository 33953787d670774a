package dev.jawait.export;

import dev.jawait.internal.Bridge;

/**
 * This package's side of the {@link Bridge}: running a function's Java body, and the cancellations
 * that only jawait makes. Installed once, when the Bridge is first read.
 */
final class ExportAccess implements Bridge.Export {
    static {
        Bridge.install(new ExportAccess());
    }

    private ExportAccess() {}

    @Override
    public Object invoke(FunctionDefinition function, Object[] arguments) throws Throwable {
        return FunctionDefinition.invoke(function, arguments);
    }

    @Override
    public Cancellation create() {
        return new Cancellation();
    }

    @Override
    public void cancel(Cancellation cancellation) {
        cancellation.cancel();
    }
}
