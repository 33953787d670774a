package dev.jawait.pytests;

import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Java functions with every kind of parameter and result that jawait converts, for the stress
 * suites that feed them hostile Python values: {@code import jawait_hostile}. Each returns
 * something that shows what arrived, so tests can check that nothing was lost.
 */
@PyModule(value = "jawait_hostile", doc = "Typed Java functions for hostile-input tests.")
public class HostileTargets implements ModuleProvider {
    public enum Unit {
        METRE,
        SECOND
    }

    // None arrives as null for reference types: each reports it rather than failing on it.
    @PyFunction
    public static long longs(List<Long> values) {
        return values == null ? -1 : values.stream().mapToLong(Long::longValue).sum();
    }

    @PyFunction
    public static double doubles(List<Double> values) {
        return values == null
                ? -1
                : values.stream().mapToDouble(Double::doubleValue).sum();
    }

    @PyFunction
    public static List<Long> nestedLongs(List<List<Long>> values) {
        return values == null
                ? null
                : values.stream().map(v -> v == null ? -1L : v.size()).toList();
    }

    @PyFunction
    public static long longArray(long[] values) {
        return values == null ? -1 : Arrays.stream(values).sum();
    }

    @PyFunction
    public static double doubleArray(double[] values) {
        return values == null ? -1 : Arrays.stream(values).sum();
    }

    @PyFunction
    public static long longMap(Map<String, Long> values) {
        return values == null
                ? -1
                : values.values().stream().mapToLong(Long::longValue).sum();
    }

    @PyFunction
    public static int longSet(Set<Long> values) {
        return values == null ? -1 : values.size();
    }

    @PyFunction
    public static long oneLong(long value) {
        return value;
    }

    @PyFunction
    public static int oneInt(int value) {
        return value;
    }

    @PyFunction
    public static double oneDouble(double value) {
        return value;
    }

    @PyFunction
    public static float oneFloat(float value) {
        return value;
    }

    @PyFunction
    public static boolean oneBool(boolean value) {
        return value;
    }

    @PyFunction
    public static String oneStr(String value) {
        return value;
    }

    @PyFunction
    public static char oneChar(char value) {
        return value;
    }

    @PyFunction
    public static int oneBytes(byte[] value) {
        return value == null ? -1 : value.length;
    }

    @PyFunction
    public static BigInteger oneBig(BigInteger value) {
        return value;
    }

    @PyFunction
    public static Number oneNumber(Number value) {
        return value;
    }

    @PyFunction
    public static Object oneOptional(Optional<Long> value) {
        return value.orElse(null);
    }

    @PyFunction
    public static Object oneObject(Object value) {
        return value;
    }

    @PyFunction
    public static String oneUnit(Unit value) {
        return String.valueOf(value);
    }

    @PyFunction
    public static String oneCallable(Function<Object, Object> value) {
        return "callable";
    }

    @PyFunction
    public static String oneThrowable(Throwable value) {
        return value == null ? "null" : value.getClass().getName() + ": " + value.getMessage();
    }

    @PyFunction(doc = "A Java list that contains itself.")
    public static List<Object> selfContainingList() {
        List<Object> list = new ArrayList<>();
        list.add(list);
        return list;
    }

    @PyFunction(doc = "Java lists nested n deep.")
    public static List<Object> nestedList(int depth) {
        List<Object> outer = new ArrayList<>();
        List<Object> current = outer;
        for (int i = 1; i < depth; i++) {
            List<Object> inner = new ArrayList<>();
            current.add(inner);
            current = inner;
        }
        return outer;
    }

    @PyFunction(doc = "10 to the power of digits, as a Java BigInteger.")
    public static BigInteger powerOfTen(int digits) {
        return BigInteger.TEN.pow(digits);
    }

    @PyFunction(doc = "The sum, from a Java future completed later.")
    public static CompletableFuture<Long> longsLater(List<Long> values) {
        return CompletableFuture.supplyAsync(() -> longs(values));
    }

    @PyFunction(doc = "The value, from a Java future completed later.")
    public static CompletableFuture<Object> objectLater(Object value) {
        return CompletableFuture.supplyAsync(() -> value);
    }

    @PyFunction(doc = "The value as a double, from a Java future completed later.")
    public static CompletableFuture<Double> doubleLater(double value) {
        return CompletableFuture.supplyAsync(() -> value);
    }
}
