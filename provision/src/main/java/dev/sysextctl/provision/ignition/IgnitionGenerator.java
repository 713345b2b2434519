package dev.sysextctl.provision.ignition;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.provision.image.ExtensionImage;
import dev.sysextctl.provision.image.ExtensionImageReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code sysextctl ignition}: images in, an Ignition config (or its Butane source) out. */
public final class IgnitionGenerator {
    private final ExtensionImageReader reader;
    private final NodeConfigPlanner planner = new NodeConfigPlanner();

    /** The generated config. */
    public record Output(String text, NodeConfig config, List<ExtensionImage> images, List<String> downloads,
            List<String> notes) {
    }

    public IgnitionGenerator(ExtensionImageReader reader) {
        this.reader = reader;
    }

    public Output generate(List<Path> imagePaths, IgnitionOptions options, boolean butane)
            throws OperationFailedException, UsageException, RefusedException {
        if (imagePaths.isEmpty()) {
            throw new UsageException("no image given; name the image files to provision");
        }
        List<ExtensionImage> images = new ArrayList<>();
        for (Path p : imagePaths) {
            images.add(reader.read(p));
        }
        NodeConfigPlanner.Plan plan = planner.plan(images, options);
        String text = butane ? ButaneYaml.render(plan.config()) : IgnitionJson.render(plan.config());
        return new Output(text, plan.config(), images, plan.downloads(), plan.notes());
    }
}
