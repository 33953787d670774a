package dev.jawait.stack;

import dev.jawait.Python;

/** Main programs run in child JVMs (without -Xss) by {@link StackDepthTest}. */
final class StackChildren {
    private StackChildren() {}

    /**
     * Recursion as deep as Python allows, of each kind that uses the C stack on some version, to the
     * interpreter's limits and beyond: each prints "ok" or the RecursionError it ended with.
     */
    static final String RECURSIONS = String.join(
            "\n",
            "import sys",
            "limit = sys.getrecursionlimit() - 20",
            "def calls(n):",
            "    return calls(n - 1) if n else 0",
            "def through_map(n):",
            "    return list(map(through_map, [n - 1]))[0] if n else 0",
            "class Chain:",
            "    def __getattr__(self, name):",
            "        n = int(name[1:])",
            "        return getattr(self, 'a%d' % (n - 1)) if n else 0",
            "def through_eval(n):",
            "    return eval('through_eval(n - 1)', {'through_eval': through_eval, 'n': n}) if n else 0",
            "def with_raised_limit():",
            "    sys.setrecursionlimit(5000)  # python's 8 MB main thread has room for these",
            "    try:",
            "        return calls(4000) + getattr(Chain(), 'a2400')",
            "    finally:",
            "        sys.setrecursionlimit(limit + 20)",
            "def nested_lists(n):",
            "    x = []",
            "    for _ in range(n):",
            "        x = [x]",
            "    return x",
            "kinds = [('calls', lambda: calls(limit)), ('map', lambda: through_map(limit)),",
            "         ('getattr', lambda: getattr(Chain(), 'a%d' % limit)), ('eval', lambda: through_eval(limit)),",
            "         ('raised limit', with_raised_limit), ('repr', lambda: repr(nested_lists(100_000)))]",
            "for name, recurse in kinds:",
            "    try:",
            "        recurse()",
            "        print(name, 'ok', flush=True)",
            "    except RecursionError as e:",
            "        print(name, 'RecursionError:', e, flush=True)");

    /** args[0]: the thread's stack size in KB, or "default" for the JVM's. */
    static final class DeepRecursionOnAJavaThread {
        public static void main(String[] args) throws InterruptedException {
            Python python = Python.builder().start();
            Runnable recurse = () -> python.run(py -> py.exec(RECURSIONS));
            Thread thread = args[0].equals("default")
                    ? new Thread(recurse, "default-stack")
                    : new Thread(null, recurse, "sized-stack", Long.parseLong(args[0]) << 10);
            thread.start();
            thread.join();
            python.close();
            System.out.println("done");
        }
    }
}
