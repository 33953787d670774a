package dev.jawait.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.Map;

/**
 * The floor under {@code jawait -c pass}: a JVM that binds libpython with JNA (direct mapping, as
 * jawait does), starts Python, runs {@code pass} and finalizes it, with nothing of jawait. The
 * launcher group runs it with the distribution's class path and a class archive of its own, so the
 * difference to {@code launcher.startup_ms} is what jawait itself adds to a start.
 *
 * <pre>{@code java -cp LIB/*:BENCH.jar dev.jawait.bench.StartupFloor /path/to/libpython3.x.so}</pre>
 */
public final class StartupFloor {
    private StartupFloor() {}

    // RTLD_NOW | RTLD_GLOBAL, as jawait opens libpython
    private static final int RTLD_NOW_GLOBAL = 0x2 | 0x100;

    private static native void Py_InitializeEx(int initsigs);

    private static native int PyRun_SimpleString(String code);

    private static native int Py_FinalizeEx();

    public static void main(String[] args) {
        NativeLibrary libpython =
                NativeLibrary.getInstance(args[0], Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW_GLOBAL));
        Native.register(StartupFloor.class, libpython);
        Py_InitializeEx(0);
        int status = PyRun_SimpleString("pass");
        System.exit(Py_FinalizeEx() == 0 && status == 0 ? 0 : 1);
    }
}
