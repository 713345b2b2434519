package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.LabMain;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.merger.lab.LockHolder;
import dev.sysextctl.merger.lab.Snapshot;
import dev.sysextctl.merger.mount.Shell;
import dev.sysextctl.testing.Requires;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native engine beyond systemd's scenarios: images it cannot read, plans, list, explain, the lock. */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unshare"})
class NativeEngineIT {
    static final String E = "/etc/extensions";

    @TempDir
    Path tmp;

    private static String lab(String args) {
        return Lab.java() + " -cp " + Shell.quote(Lab.classpath()) + " " + LabMain.class.getName() + " " + args;
    }

    @Test
    void aGptDiskImageThatIsNoDdiIsSkippedWithAClearMessageAndTheRestMerged() {
        byte[] ddi = new byte[1 << 20];
        System.arraycopy("EFI PART".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, ddi, 512, 8);
        Layout l = Layout.create(tmp.resolve("gpt")).raw(E, Ext.named("ok")).file(E, "ddi.raw", ddi);
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE));
        assertThat(s.rc()).as("%s", s).isZero();
        assertThat(s.usrExtensions()).containsExactly("ok");
        assertThat(s.output()).contains("skipped broken image 'ddi'").contains("ddi.raw is not a readable DDI: ")
                .contains("; rebuild it (sysextctl build --format ddi or systemd-repart --make-ddi=sysext)");
    }

    @Test
    void dryRunPrintsThePlanAndMountsNothing() throws Exception {
        Layout l = Layout.create(tmp.resolve("dry")).raw(E, Ext.named("a").file("opt/a", "a")).raw(E, Ext.named("b"))
                .raw(E, Ext.named("fed").release("ID=fedora\n"));
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).verb("merge --dry-run --json").noUnmerge());
        assertThat(s.rc()).as("%s", s).isZero();
        assertThat(s.mergedHierarchies()).isEmpty();
        assertThat(s.mountsAfter()).isEmpty();
        JsonNode plan = Json.mapper().readTree(s.output().substring(s.output().indexOf('{'))).path("plan");
        assertThat(plan.path("extensions").toString()).isEqualTo("[\"a\",\"b\"]");
        JsonNode usr = plan.path("hierarchies").get(0);
        assertThat(usr.path("hierarchy").asText()).isEqualTo("/usr");
        List<String> layers = new ArrayList<>();
        usr.path("layers").forEach(x -> layers.add(x.path("kind").asText() + ":" + x.path("name").asText()));
        assertThat(layers).containsExactly("meta:null", "extension:b", "extension:a", "host:null");
        assertThat(plan.path("hierarchies").get(1).path("createsMountPoint").asBoolean()).isTrue();
        assertThat(plan.path("ignored").get(0).path("name").asText()).isEqualTo("fed");
        assertThat(plan.path("ignored").get(0).path("rule").asText()).isEqualTo("os-id");
    }

    @Test
    void listShowsWhatSystemdListsPlusStatesAndReasons() throws Exception {
        Layout l = Layout.create(tmp.resolve("list")).raw(E, Ext.named("a")).raw("/var/lib/extensions", Ext.named("a"))
                .raw(E, Ext.named("fed").release("ID=fedora\n")).emptyDir(E, "m")
                .raw("/var/lib/extensions", Ext.named("m")).file(E, "junk.raw", new byte[] {1, 2, 3})
                .directory("/var/lib/extensions", Ext.named("d")).link(E, "off.raw", "/dev/null");
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).verb("merge").after("echo '## systemd'; "
                + "systemd-sysext --root=\"$R\" list --json=short; echo; echo '## ours'; " + lab("list \"$R\"")));
        String extra = s.extra();
        JsonNode theirs = Json.mapper().readTree(extra.substring(extra.indexOf("## systemd") + 10,
                extra.indexOf("## ours")));
        JsonNode ours = Json.mapper().readTree(extra.substring(extra.indexOf("## ours") + 7)).path("images");
        List<String> sd = new ArrayList<>();
        theirs.forEach(x -> sd.add(x.path("name").asText() + " " + x.path("type").asText() + " "
                + x.path("path").asText()));
        List<String> winners = new ArrayList<>();
        List<String> states = new ArrayList<>();
        ours.forEach(x -> {
            if (x.path("shadowedBy").isNull()) {
                winners.add(x.path("name").asText() + " " + x.path("type").asText() + " " + l.root()
                        + x.path("path").asText());
            }
            states.add(x.path("name").asText() + ":" + x.path("state").asText() + ":" + x.path("compatible")
                    + ":" + x.path("merged").asBoolean());
        });
        assertThat(winners).as("%s", s).containsExactlyInAnyOrderElementsOf(sd);
        assertThat(states).containsExactlyInAnyOrder("a:active:true:true", "fed:active:false:false", "m:masked:false:false",
                "junk:broken:false:false", "a:shadowed:true:false", "m:masked:true:false", "d:active:true:true");
        assertThat(extra).contains("\"path\" : \"/etc/extensions/off.raw\"").contains("a link to /dev/null");
    }

    @Test
    void explainSaysWhatAnExtensionOverridesAndWhy() throws Exception {
        Layout l = Layout.create(tmp.resolve("explain")).host("usr/bin/tool", "host")
                .raw(E, Ext.named("a").file("usr/bin/tool", "a").file("usr/bin/shared", "a"))
                .raw(E, Ext.named("b").file("usr/bin/shared", "b"))
                .raw(E, Ext.named("fed").release("ID=fedora\n"));
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).after("echo '## a'; " + lab("explain \"$R\" a")
                + "; echo '## fed'; " + lab("explain \"$R\" fed") + "; echo '## nope'; " + lab("explain \"$R\" aa")));
        String extra = s.extra();
        JsonNode a = Json.mapper().readTree(extra.substring(extra.indexOf("## a") + 4, extra.indexOf("## fed")));
        assertThat(a.path("state").asText()).as("%s", s).isEqualTo("merged");
        assertThat(a.path("above").toString()).isEqualTo("[\"b\"]");
        assertThat(a.path("overrides").toString()).contains("{\"path\":\"/usr/bin/tool\",\"other\":\"base\"}");
        assertThat(a.path("overriddenBy").toString()).contains("{\"path\":\"/usr/bin/shared\",\"other\":\"b\"}");
        JsonNode fed = Json.mapper().readTree(extra.substring(extra.indexOf("## fed") + 6, extra.indexOf("## nope")));
        assertThat(fed.path("state").asText()).isEqualTo("not-merged");
        assertThat(fed.path("summary").asText()).contains("incompatible (os-id)");
        JsonNode nope = Json.mapper().readTree(extra.substring(extra.indexOf("## nope") + 7));
        assertThat(nope.path("state").asText()).isEqualTo("absent");
        assertThat(nope.path("similarNames").toString()).contains("\"a\"");
    }

    @Test
    void aSecondStateChangingCommandWaitsThenNamesTheHolder() {
        Layout l = Layout.create(tmp.resolve("lock")).raw(E, Ext.named("a"));
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).env("SYSEXTCTL_LOCK_WAIT", "1").setup(
                "mkfifo /tmp/lockfifo.$$ 2>/dev/null; " + Lab.java() + " -cp " + Shell.quote(Lab.classpath()) + " "
                        + LockHolder.class.getName() + " \"$R\" 30 > /tmp/lockfifo.$$ & H=$!; read line < "
                        + "/tmp/lockfifo.$$; rm -f /tmp/lockfifo.$$").after("kill $H; wait $H 2>/dev/null"));
        assertThat(s.rc()).as("%s", s).isEqualTo(1);
        assertThat(s.output()).contains("another sysextctl (pid ").contains("'test-holder'").contains("holds "
                + l.root() + "/run/sysextctl.lock after 1 s");
        assertThat(s.mergedHierarchies()).isEmpty();
    }

    /**
     * The helper's namespace hides {@code /sys/block} so that libmount does not scan every loop device in use before
     * each loop mount: an image another loop device already maps gets one of its own (libmount would have reused
     * that one), as systemd-sysext gives it, and the node's {@code /sys/block} stays as it was.
     */
    @Test
    void eachImageGetsALoopDeviceOfItsOwnAndTheNodesSysBlockStays() {
        Layout l = Layout.create(tmp.resolve("loops")).raw(E, Ext.named("a")).raw(E, Ext.named("b"));
        String image = "\"$R\"" + E + "/a.raw";
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE)
                .setup("OTHER=$(losetup --find --show --read-only " + image + ") || exit 96")
                .after("echo \"loops $(losetup --noheadings -O NAME -j " + image + " | wc -l)\"; "
                        + "echo \"hidden $(awk '$5 == \"/sys/block\"' /proc/self/mountinfo | wc -l)\"; "
                        + "echo \"visible $(ls /sys/block | grep -c '^loop')\"; losetup -d \"$OTHER\""));
        assertThat(s.rc()).as("%s", s).isZero();
        assertThat(s.usrExtensions()).containsExactlyInAnyOrder("a", "b");
        List<String> extra = s.extra().strip().lines().toList();
        assertThat(extra).as("%s", s).contains("loops 2", "hidden 0");
        assertThat(extra.stream().filter(x -> x.startsWith("visible ")).findFirst().orElseThrow())
                .as("the node still sees the loop devices").isNotEqualTo("visible 0");
    }

    @Test
    void unmergeUnwindsAStackOfSysextMounts() {
        Layout l = Layout.create(tmp.resolve("stack")).raw(E, Ext.named("a"));
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).after("mount --bind \"$R/usr\" \"$R/usr\"; "
                + "awk -v mp=\"$R/usr\" '$5 == mp' /proc/self/mountinfo | grep -c ' - overlay sysext '"));
        assertThat(s.extra().strip()).as("%s", s).isEqualTo("2");
        assertThat(s.unmergeOutput()).contains("Unmerged '" + l.root() + "/usr'.");
        assertThat(Differential.sysextMounts(s.mountsAfter())).as("%s", s).isEmpty();
    }
}
