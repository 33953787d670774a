package dev.jawait.examples.inventory;

import dev.jawait.Python;
import java.nio.file.Path;

/**
 * A Java program that embeds Python and runs a Python script against a Java module:
 * {@code java -cp 'target/dist/lib/*' dev.jawait.examples.inventory.InventoryApp examples/python/inventory_report.py}.
 */
public final class InventoryApp {
    private InventoryApp() {}

    public static void main(String[] args) {
        Path script = Path.of(args.length > 0 ? args[0] : "examples/python/inventory_report.py");
        try (Python python = Python.builder().start()) { // finds Inventory through ServiceLoader
            System.out.println("Java: started Python " + python.version() + " from " + python.executable());
            python.run(py -> py.runFile(script));
            long total = python.attach(py ->
                    py.eval("sum(__import__('inventory').levels().values())").asLong());
            System.out.println("Java: " + total + " items left in stock");
        }
    }
}
