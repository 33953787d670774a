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
    private final Map<String, java.util.List<String>> baselines = new LinkedHashMap<>();

    /** Records {@code name} and the baselines it is compared with in the table. */
    void add(String name, double value, String... baselines) {
        figures.put(name, value);
        this.baselines.put(name, java.util.List.of(baselines));
    }

    void print() {
        System.out.printf(Locale.ROOT, "%-45s %16s   %-40s %8s%n", "figure", "value", "baseline", "ratio");
        for (Map.Entry<String, Double> entry : figures.entrySet()) {
            java.util.List<String> compared = baselines.get(entry.getKey());
            if (compared.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-45s %16.1f%n", entry.getKey(), entry.getValue());
            }
            for (int i = 0; i < compared.size(); i++) {
                Double base = figures.get(compared.get(i));
                System.out.printf(Locale.ROOT, "%-45s %16s   %-40s %8s%n", i == 0 ? entry.getKey() : "",
                        i == 0 ? String.format(Locale.ROOT, "%.1f", entry.getValue()) : "", compared.get(i),
                        base == null ? "" : String.format(Locale.ROOT, "%.2fx", entry.getValue() / base));
            }
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
