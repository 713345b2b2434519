package dev.sysextctl.merger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.config.ConfigAction;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * enable/disable/mask/unmask through {@link Merger}, one request type each; without {@link RefreshNow} nothing is
 * merged (no root, no mounts: directory images on a temporary root). The refresh of {@code --now} is exercised by
 * NodeConfigIT and e2e's DayTwoIT.
 */
class ConfigRequestTest {
    @TempDir
    Path root;

    @Test
    void eachRequestChangesTheConfigurationUnderItsActionAndRefreshesOnlyWhenAsked() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Ext.named("tools").tree(root.resolve("opt/extensions/tools/tools-1"));
        Node node = Node.open(root, null, Map.of());
        Merger m = new Merger(NativeTools.system(), Clock.systemUTC(), Duration.ofSeconds(5));

        Merger.ConfigOutcome e = m.enable(node, new ConfigRequest.Enable(root.resolve("opt/extensions/tools/tools-1"),
                null, false, false, null));
        assertThat(e.change().action()).isEqualTo(ConfigAction.ENABLE);
        assertThat(e.change().created()).containsExactly("/etc/extensions/tools");
        assertThat(e.refresh()).isNull();
        Merger.ConfigOutcome d = m.disable(node, new ConfigRequest.Disable("tools", false, null));
        assertThat(d.change().action()).isEqualTo(ConfigAction.DISABLE);
        assertThat(d.change().removed()).containsExactly("/etc/extensions/tools");
        Merger.ConfigOutcome k = m.mask(node, new ConfigRequest.Mask("tools", null));
        assertThat(k.change().action()).isEqualTo(ConfigAction.MASK);
        assertThat(root.resolve("etc/extensions/tools")).isEmptyDirectory();
        Merger.ConfigOutcome u = m.unmask(node, new ConfigRequest.Unmask("tools", null));
        assertThat(u.change().action()).isEqualTo(ConfigAction.UNMASK);
        assertThat(root.resolve("etc/extensions/tools")).doesNotExist();
        assertThat(u.refresh()).isNull();
    }

    @Test
    void refreshNowCarriesTheEngineAndTheManagerOptions() {
        RefreshNow now = new RefreshNow(EngineKind.SYSTEMD, true, false);
        assertThat(now.options()).isEqualTo(MergeOptions.now(true, false));
        assertThat(now.options().force() || now.options().dryRun()).isFalse();
        assertThat(RefreshNow.with(EngineKind.NATIVE)).isEqualTo(new RefreshNow(EngineKind.NATIVE, false, false));
        assertThat(new ConfigRequest.Mask("x", now).refresh()).contains(now);
        assertThat(new ConfigRequest.Disable("x", true, null).refresh()).isEmpty();
    }
}
