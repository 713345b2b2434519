package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tool versions probed once per process and shared by every wrapper; with a {@link ProbeMemory}, also remembered
 * across runs for the same binary.
 */
public final class ToolVersionCache {
    /** Probes a version. */
    @FunctionalInterface
    public interface Probe {
        String probe() throws OperationFailedException;
    }

    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final ProbeMemory memory;

    /** Probes once per process, remembering nothing across runs. */
    public ToolVersionCache() {
        this(ProbeMemory.NONE);
    }

    public ToolVersionCache(ProbeMemory memory) {
        this.memory = memory;
    }

    public String get(String tool, Probe probe) throws OperationFailedException {
        String v = versions.get(tool);
        if (v == null) {
            v = probe.probe();
            versions.put(tool, v);
        }
        return v;
    }

    /**
     * Like {@link #get}, for the answer of {@code program QUERY}: from this process, else from an earlier run of the
     * same binary ({@link ProbeMemory}), else probed and remembered.
     */
    public String get(String key, String program, String query, Probe probe) throws OperationFailedException {
        return get(key, () -> {
            String remembered = memory.recall(program, query);
            if (remembered != null) {
                return remembered;
            }
            String answer = probe.probe();
            memory.remember(program, query, answer);
            return answer;
        });
    }

    /** What has been probed so far (tool name → version), for build reports. */
    public Map<String, String> probed() {
        return Map.copyOf(versions);
    }
}
