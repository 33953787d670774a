package dev.jawait.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Named figures of one run: printed as a table with ratios, written as one JSON object. */
final class Report {
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final Map<String, String> baselines = new LinkedHashMap<>();

    void add(String name, double value) {
        figures.put(name, value);
    }

    /** Records {@code name} and the baseline it is compared with in the table. */
    void add(String name, double value, String baseline) {
        figures.put(name, value);
        baselines.put(name, baseline);
    }

    void print() {
        System.out.printf(Locale.ROOT, "%-45s %16s   %-40s %8s%n", "figure", "value", "baseline", "ratio");
        for (Map.Entry<String, Double> entry : figures.entrySet()) {
            String baseline = baselines.get(entry.getKey());
            Double base = baseline == null ? null : figures.get(baseline);
            System.out.printf(Locale.ROOT, "%-45s %16.1f   %-40s %8s%n", entry.getKey(), entry.getValue(),
                    baseline == null ? "" : baseline,
                    base == null ? "" : String.format(Locale.ROOT, "%.2fx", entry.getValue() / base));
        }
    }

    void write(Path out) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Double> entry : figures.entrySet()) {
            json.append(String.format(Locale.ROOT, "  \"%s\": %.1f%s%n", entry.getKey(), entry.getValue(),
                    ++i < figures.size() ? "," : ""));
        }
        json.append("}\n");
        Files.writeString(out, json, StandardCharsets.UTF_8);
    }
}
