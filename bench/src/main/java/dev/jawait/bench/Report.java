package dev.jawait.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named figures of one run: printed as a table with ratios, written as one JSON object that
 * {@code scripts/bench-report} turns into the README's table and plot:
 * <pre>
 * {"run": {"python": "3.11.7", ...},
 *  "figures": {"call.python_to_java.noarg_ns": {"value": 412.3, "baselines": ["baseline.python_noop_call_ns"]}, ...}}
 * </pre>
 */
final class Report {
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final Map<String, List<String>> baselines = new LinkedHashMap<>();

    /** Records {@code name} and the baselines it is compared with in the table. */
    void add(String name, double value, String... baselines) {
        figures.put(name, value);
        this.baselines.put(name, List.of(baselines));
    }

    /** How many figures were recorded so far: a mark for {@link #print(int)}. */
    int size() {
        return figures.size();
    }

    /** Prints the table of every figure. */
    void print() {
        print(0);
    }

    /** Prints the table of the figures recorded since {@code mark} (from {@link #size()}); baselines from anywhere. */
    void print(int mark) {
        System.out.printf(Locale.ROOT, "%-45s %16s   %-40s %8s%n", "figure", "value", "baseline", "ratio");
        int index = 0;
        for (Map.Entry<String, Double> entry : figures.entrySet()) {
            if (index++ < mark) {
                continue;
            }
            List<String> compared = baselines.get(entry.getKey());
            if (compared.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-45s %16.1f%n", entry.getKey(), entry.getValue());
            }
            for (int i = 0; i < compared.size(); i++) {
                Double base = figures.get(compared.get(i));
                System.out.printf(
                        Locale.ROOT,
                        "%-45s %16s   %-40s %8s%n",
                        i == 0 ? entry.getKey() : "",
                        i == 0 ? String.format(Locale.ROOT, "%.1f", entry.getValue()) : "",
                        compared.get(i),
                        base == null ? "" : String.format(Locale.ROOT, "%.2fx", entry.getValue() / base));
            }
        }
    }

    /** Writes the figures, each with its baselines, and {@code run}: what the run measured on. */
    void write(Path out, Map<String, String> run) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"run\": {");
        int i = 0;
        for (Map.Entry<String, String> entry : run.entrySet()) {
            json.append(i++ == 0 ? "" : ", ")
                    .append(quoted(entry.getKey()))
                    .append(": ")
                    .append(quoted(entry.getValue()));
        }
        json.append("},\n  \"figures\": {\n");
        i = 0;
        for (Map.Entry<String, Double> entry : figures.entrySet()) {
            List<String> compared = baselines.get(entry.getKey());
            json.append(
                    String.format(Locale.ROOT, "    %s: {\"value\": %.1f", quoted(entry.getKey()), entry.getValue()));
            if (!compared.isEmpty()) {
                json.append(", \"baselines\": [")
                        .append(String.join(
                                ", ", compared.stream().map(Report::quoted).toList()))
                        .append(']');
            }
            json.append(++i < figures.size() ? "},\n" : "}\n");
        }
        json.append("  }\n}\n");
        Files.writeString(out, json, StandardCharsets.UTF_8);
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
