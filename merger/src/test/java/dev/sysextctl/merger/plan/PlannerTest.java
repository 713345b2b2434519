package dev.sysextctl.merger.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.discovery.ImageDiscovery;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.discovery.SymlinkPolicy;
import dev.sysextctl.merger.mount.Workspace;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
    @TempDir
    Path root;
    Node node;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.writeString(root.resolve("usr/bin/host"), "h");
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        node = Node.open(root, SystemdVersion.V252, Map.of());
    }

    private void raw(String name) throws Exception {
        Files.writeString(root.resolve("etc/extensions/" + name + ".raw"), "x");
    }

    private static ImageInspection.Readable ok(String release, String... hierarchies) {
        Map<String, String> h = new HashMap<>();
        for (String x : hierarchies) {
            h.put(x, x.substring(1));
        }
        return new ImageInspection.Readable(ImageFormat.SQUASHFS, new ReleaseLookup(ReleaseLookup.Status.FOUND, "p",
                EnvFile.parse(release), List.of(), ""), false, false, h, null);
    }

    private List<ImageAssessment> assess(Map<String, ImageInspection> byName, boolean force) throws Exception {
        Discovery d = ImageDiscovery.discover(node, SymlinkPolicy.FOLLOW_INSIDE_ROOT);
        Map<ImageEntry, ImageInspection> read = new IdentityHashMap<>();
        for (ImageEntry e : d.images()) {
            if (byName.containsKey(e.name()) && d.isWinner(e)) {
                read.put(e, byName.get(e.name()));
            }
        }
        return Planner.assess(node, d, read, Planner.Target.of(node), force);
    }

    private static ImageAssessment named(List<ImageAssessment> list, String name) {
        return list.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void layersAreOrderedByStrverscmpImprovedHighestOnTopAboveTheHost() throws Exception {
        Map<String, ImageInspection> in = new HashMap<>();
        for (String n : List.of("a", "b", "B", "foo-2", "foo-10", "0x")) {
            raw(n);
            in.put(n, ok("ID=debian\nVERSION_ID=12\n", "/usr"));
        }
        MergePlan plan = Planner.plan(node, assess(in, false), e -> Workspace.extension(e.name()));
        assertThat(plan.extensions()).containsExactly("B", "a", "b", "foo-2", "foo-10", "0x");
        HierarchyPlan usr = plan.hierarchies().get(0);
        assertThat(usr.lowerDirs()).containsExactly("/run/systemd/sysext/meta/usr",
                "/run/systemd/sysext/extensions/0x/usr", "/run/systemd/sysext/extensions/foo-10/usr",
                "/run/systemd/sysext/extensions/foo-2/usr", "/run/systemd/sysext/extensions/b/usr",
                "/run/systemd/sysext/extensions/a/usr", "/run/systemd/sysext/extensions/B/usr",
                root.toRealPath() + "/usr");
        assertThat(plan.hierarchies()).hasSize(1);
    }

    @Test
    void optWithoutAHostDirectoryHasNoHostLayerAndIsCreated() throws Exception {
        raw("o");
        MergePlan plan = Planner.plan(node, assess(Map.of("o", ok("ID=debian\nVERSION_ID=12\n", "/opt")), false),
                e -> Workspace.extension(e.name()));
        HierarchyPlan opt = plan.hierarchies().get(0);
        assertThat(opt.hierarchy()).isEqualTo("/opt");
        assertThat(opt.hasHostLayer()).isFalse();
        assertThat(opt.createsMountPoint()).isTrue();
        assertThat(plan.extensions()).containsExactly("o");
    }

    @Test
    void anEmptyDirectoryMasksLowerImagesOfItsName() throws Exception {
        Files.createDirectories(root.resolve("etc/extensions/m"));
        Files.createDirectories(root.resolve("var/lib/extensions"));
        Files.writeString(root.resolve("var/lib/extensions/m.raw"), "x");
        List<ImageAssessment> a = assess(Map.of(), false);
        assertThat(a).extracting(ImageAssessment::state).containsExactly(ImageState.MASKED, ImageState.MASKED);
        assertThat(a.get(1).shadowedBy()).isEqualTo("/etc/extensions/m");
        assertThat(Planner.plan(node, a, e -> "").ignoredWinners()).isEqualTo(1);
    }

    @Test
    void brokenIncompatibleAndForbiddenImagesAreLeftOutWithReasons() throws Exception {
        raw("good");
        raw("fed");
        raw("norel");
        raw("osrel");
        Map<String, ImageInspection> in = new HashMap<>();
        in.put("good", ok("ID=debian\nVERSION_ID=12\n", "/usr"));
        in.put("fed", ok("ID=fedora\n", "/usr"));
        in.put("norel", new ImageInspection.Readable(ImageFormat.SQUASHFS, new ReleaseLookup(
                ReleaseLookup.Status.NOT_FOUND, null, null, List.of(), "no file"), false, false, Map.of("/usr", "usr"),
                "Failed to read metadata for image norel: No medium found"));
        in.put("osrel", new ImageInspection.Readable(ImageFormat.SQUASHFS, ok("ID=debian\nVERSION_ID=12\n").release(),
                true, true, Map.of("/usr", "usr"), null));
        List<ImageAssessment> a = assess(in, false);
        assertThat(named(a, "good").usable()).isTrue();
        assertThat(named(a, "fed").state()).isEqualTo(ImageState.ACTIVE);
        assertThat(named(a, "fed").compatible()).isFalse();
        assertThat(named(a, "fed").rule()).isEqualTo("os-id");
        assertThat(named(a, "fed").systemdMessage()).isEqualTo("Extension 'fed' is for OS 'fedora', but deployed on "
                + "top of 'debian'.");
        assertThat(named(a, "norel").state()).isEqualTo(ImageState.BROKEN);
        assertThat(named(a, "norel").rule()).isEqualTo(RuleId.NO_RELEASE_FILE.id());
        assertThat(named(a, "osrel").state()).isEqualTo(ImageState.BROKEN);
        assertThat(named(a, "osrel").systemdMessage()).isEqualTo(Planner.FORBIDDEN_MESSAGE);
        MergePlan plan = Planner.plan(node, a, e -> Workspace.extension(e.name()));
        assertThat(plan.extensions()).containsExactly("good");
        assertThat(plan.ignoredWinners()).isEqualTo(3);
    }

    @Test
    void forceSkipsCompatibilityAndTheOsReleaseCheckButNotBrokenImages() throws Exception {
        raw("fed");
        raw("osrel");
        raw("junk");
        Map<String, ImageInspection> in = new HashMap<>();
        in.put("fed", ok("ID=fedora\n", "/usr"));
        in.put("osrel", new ImageInspection.Readable(ImageFormat.SQUASHFS, ok("ID=debian\n").release(), true, true,
                Map.of("/usr", "usr"), null));
        in.put("junk", new ImageInspection.Unreadable(ImageFormat.UNKNOWN, "not an image", "Package not installed"));
        List<ImageAssessment> a = assess(in, true);
        assertThat(named(a, "fed").usable()).isTrue();
        assertThat(named(a, "osrel").usable()).isTrue();
        assertThat(named(a, "junk").state()).isEqualTo(ImageState.BROKEN);
    }

    @Test
    void aDirectoryExtensionInsideAMergedHierarchyIsBroken() throws Exception {
        Files.createDirectories(root.resolve("usr/lib/extensions/ud/usr/bin"));
        Files.writeString(root.resolve("usr/lib/extensions/ud/usr/bin/x"), "x");
        List<ImageAssessment> a = assess(Map.of("ud", ok("ID=debian\nVERSION_ID=12\n", "/usr")), false);
        assertThat(named(a, "ud").state()).isEqualTo(ImageState.BROKEN);
        assertThat(named(a, "ud").rule()).isEqualTo(RuleId.NESTED_LAYER.id());
    }

    @Test
    void withoutOsReleaseEveryImageIsIncompatibleWithSystemdsMessage() throws Exception {
        Files.delete(root.resolve("etc/os-release"));
        raw("a");
        List<ImageAssessment> a = assess(Map.of("a", ok("ID=debian\n", "/usr")), false);
        assertThat(named(a, "a").compatible()).isFalse();
        assertThat(named(a, "a").reason()).startsWith("Failed to acquire 'os-release' data of OS tree");
    }
}
