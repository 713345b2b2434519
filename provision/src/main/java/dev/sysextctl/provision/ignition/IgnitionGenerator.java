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
        SysextctlImage self = options.withSysextctl();
        if (imagePaths.isEmpty() && self == null) {
            throw new UsageException("no image given; name the image files to provision");
        }
        List<ExtensionImage> images = new ArrayList<>();
        for (Path p : imagePaths) {
            images.add(reader.read(p, options.extensionClass()));
        }
        if (self instanceof SysextctlImage.File file) {
            ExtensionImage image = reader.read(file.path());
            if (!image.name().equals(SysextctlImage.NAME)) {
                throw new RefusedException("--with-sysextctl " + file.path() + " is the extension '" + image.name()
                        + "', not sysextctl's own sysext (extension-release." + SysextctlImage.NAME
                        + "); give the sysextctl-VERSION-ARCH.raw that scripts/package writes");
            }
            images.add(image);
        }
        if (!images.isEmpty() && options.baseUrl() == null) {
            throw new UsageException("--base-url is missing; the node downloads " + images.get(0).fileName()
                    + (images.size() > 1 ? " and the other images" : "") + " from it, e.g. --base-url "
                    + "https://example.com/sysext/");
        }
        NodeConfigPlanner.Plan plan = planner.plan(images, options);
        String text = butane ? ButaneYaml.render(plan.config()) : IgnitionJson.render(plan.config());
        return new Output(text, plan.config(), images, plan.downloads(), plan.notes());
    }
}
