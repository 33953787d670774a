package dev.jawait.examples.inventory;

import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import dev.jawait.export.PyParam;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Java-defined Python module: {@code import inventory}. Listed in
 * {@code META-INF/services/dev.jawait.export.ModuleProvider}, so any jawait interpreter with this
 * jar on its class path can import it.
 */
@PyModule(value = "inventory", doc = "Stock levels kept in Java.")
public class Inventory implements ModuleProvider {
    private final Map<String, Long> stock = new TreeMap<>();

    @PyFunction(doc = "Adds two counts.")
    public static long add(long a, long b) {
        return a + b;
    }

    @PyFunction(doc = "Receives count items into stock; returns the new level.")
    public synchronized long receive(String item, @PyParam(defaultValue = "1") long count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        return stock.merge(item, count, Long::sum);
    }

    @PyFunction(doc = "Takes count items out of stock; a shortfall raises ValueError.")
    public synchronized long ship(String item, long count) {
        long level = stock.getOrDefault(item, 0L);
        if (count > level) {
            throw new IllegalArgumentException("cannot ship " + count + " " + item + ": only " + level + " in stock");
        }
        stock.put(item, level - count);
        return level - count;
    }

    @PyFunction(doc = "Every item and its level, as a dict.")
    public synchronized Map<String, Long> levels() {
        return new TreeMap<>(stock);
    }
}
