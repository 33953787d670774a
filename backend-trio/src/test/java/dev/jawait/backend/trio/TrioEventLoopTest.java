package dev.jawait.backend.trio;

import dev.jawait.testing.EventLoopContract;
import java.util.List;

/** trio runs that jawait hosts, fed from Java threads. */
class TrioEventLoopTest extends EventLoopContract {
    @Override
    protected String library() {
        return "trio";
    }

    @Override
    protected List<String> flavors() {
        return List.of("trio");
    }
}
