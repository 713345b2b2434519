package dev.sysextctl.merger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.config.ConfigAction;
import dev.sysextctl.merger.config.ConfigChange;
import dev.sysextctl.merger.manager.ManagerSync;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outcome of merge/unmerge/refresh as built by the engines, and the JSON shape docs/cli.md §6.5 promises. */
class MergeOutcomeTest {
    private static final MergeOutcome REFRESHED = MergeOutcome.builder(MergeAction.REFRESH, EngineKind.NATIVE)
            .engineReason("--engine native").merged(List.of(new MergedHierarchy("/usr", "/usr", "0:42")))
            .unmerged(List.of("/opt")).messages(List.of("Using extensions 'a'.")).warnings(List.of("w1")).build();

    @Test
    void jsonHasTheFieldsInTheirDocumentedOrderAndTheActionAsItsVerb() throws Exception {
        JsonNode doc = Json.mapper().readTree(Json.write(REFRESHED));
        List<String> names = new ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("action", "class", "engine", "engineReason", "dryRun", "plan", "merged", "unmerged",
                "status", "messages", "warnings", "manager");
        assertThat(doc.path("action").asText()).isEqualTo("refresh");
        assertThat(doc.path("engine").asText()).isEqualTo("native");
        assertThat(doc.path("dryRun").asBoolean(true)).isFalse();
        assertThat(doc.path("plan").isNull()).isTrue();
        assertThat(doc.path("manager").isNull()).isTrue();
        assertThat(doc.path("merged").get(0).path("target").asText()).isEqualTo("/usr");
        assertThat(doc.path("unmerged")).hasSize(1);
        assertThat(doc.path("status")).isEmpty();
    }

    @Test
    void everyMergeActionIsWrittenAsTheCommandThatRanIt() {
        for (MergeAction a : MergeAction.values()) {
            String json = Json.write(MergeOutcome.builder(a, EngineKind.SYSTEMD).build());
            assertThat(json).contains("\"action\" : \"" + a.name().toLowerCase() + "\"");
        }
        assertThat(MergeAction.UNMERGE.takesForce()).isFalse();
        assertThat(MergeAction.REFRESH.takesForce()).isTrue();
    }

    @Test
    void aConfigChangeIsWrittenWithItsCommandAsTheAction() {
        for (ConfigAction a : ConfigAction.values()) {
            ConfigChange c = new ConfigChange(a, "x", false, List.of(), List.of(), null, null, List.of());
            assertThat(Json.write(c)).startsWith("{\n  \"action\" : \"" + a.name().toLowerCase() + "\",");
        }
    }

    @Test
    void toBuilderKeepsEveryValueAndRelabellingAddsOnlyNewWarnings() {
        ManagerSync m = ManagerSync.skipped("dry");
        MergeOutcome o = REFRESHED.withManager(m);
        assertThat(o.manager()).isSameAs(m);
        assertThat(Json.write(o.toBuilder().manager(null).build())).isEqualTo(Json.write(REFRESHED));
        MergeOutcome relabelled = o.toBuilder().engine(EngineKind.SYSTEMD).engineReason("auto")
                .addWarnings(List.of("w1", "w2")).build();
        assertThat(relabelled.engine()).isEqualTo(EngineKind.SYSTEMD);
        assertThat(relabelled.engineReason()).isEqualTo("auto");
        assertThat(relabelled.warnings()).containsExactly("w1", "w2");
        assertThat(relabelled.merged()).isEqualTo(o.merged());
        assertThat(relabelled.messages()).isEqualTo(o.messages());
        assertThat(relabelled.action()).isEqualTo(MergeAction.REFRESH);
    }
}
