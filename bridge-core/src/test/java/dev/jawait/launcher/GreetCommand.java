package dev.jawait.launcher;

import dev.jawait.Python;
import java.util.List;

/** A command found through META-INF/services by ServiceLoader (test resources): greets from Python. */
public class GreetCommand implements LauncherCommand {
    @Override
    public String name() {
        return "greet";
    }

    @Override
    public String summary() {
        return "NAME  greets NAME from Python";
    }

    @Override
    public int run(Python.Builder builder, List<String> args) {
        try (Python python = builder.start()) {
            python.run(py -> py.exec("import discovered; print('hello', " + args.stream().map(a -> "'" + a + "'")
                    .reduce((a, b) -> a + ", " + b).orElse("") + ", discovered.ping())"));
        }
        return args.size();
    }
}
