package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tool versions probed once per process and shared by every wrapper. */
public final class ToolVersionCache {
    /** Probes a version. */
    @FunctionalInterface
    public interface Probe {
        String probe() throws OperationFailedException;
    }

    private final Map<String, String> versions = new ConcurrentHashMap<>();

    public String get(String tool, Probe probe) throws OperationFailedException {
        String v = versions.get(tool);
        if (v == null) {
            v = probe.probe();
            versions.put(tool, v);
        }
        return v;
    }

    /** What has been probed so far (tool name → version), for build reports. */
    public Map<String, String> probed() {
        return Map.copyOf(versions);
    }
}
