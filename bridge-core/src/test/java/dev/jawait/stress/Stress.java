package dev.jawait.stress;

/**
 * Sizes of the stress tests: the counts given in each test times {@code jawait.stress.scale}
 * (default 1, what CI runs; {@code scripts/stress} runs them larger).
 */
final class Stress {
    private Stress() {}

    static int scaled(int count) {
        double scale = Double.parseDouble(System.getProperty("jawait.stress.scale", "1"));
        return (int) Math.max(1, Math.round(count * scale));
    }
}
