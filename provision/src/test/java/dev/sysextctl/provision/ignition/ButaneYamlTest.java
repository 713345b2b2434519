package dev.sysextctl.provision.ignition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.image.ExtensionImage;
import dev.sysextctl.provision.image.ExtensionImageReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Butane YAML is parsed by a real YAML 1.1 parser (SnakeYAML; like Butane's go-yaml it reads {@code 0644}
 * as octal) and translated by Butane's rules (variant/version → spec, {@code inline} → data URL) into the same
 * tree the Ignition JSON has.
 */
class ButaneYamlTest {
    @TempDir
    Path dir;

    private NodeConfig config(IgnitionSpec spec) throws Exception {
        Path p = dir.resolve("docker-28.0.4-x86-64.raw");
        Files.writeString(p, "image bytes\n");
        ExtensionImageReader.Digests d = ExtensionImageReader.digest(p);
        ExtensionImage docker = new ExtensionImage(p, "docker", "x", "28.0.4", "x86-64", d.size(), d.sha256(),
                d.sha512());
        Path q = dir.resolve("tools.raw");
        Files.writeString(q, "other bytes\n");
        ExtensionImageReader.Digests e = ExtensionImageReader.digest(q);
        ExtensionImage tools = new ExtensionImage(q, "tools", "x", "1", "x86-64", e.size(), e.sha256(), e.sha512());
        return new NodeConfigPlanner().plan(List.of(docker, tools), new IgnitionOptions(
                BaseUrl.parse("http://127.0.0.1:8080/a%20b/"), spec, true,
                List.of("docker-flatcar", "containerd-flatcar"), null, 0)).config();
    }

    @Test
    void butaneTranslatesToTheSameConfig() throws Exception {
        for (IgnitionSpec spec : IgnitionSpec.values()) {
            NodeConfig c = config(spec);
            String yaml = ButaneYaml.render(c);
            Map<String, Object> parsed = new Yaml().load(yaml);
            assertThat(parsed.get("variant")).isEqualTo("flatcar");
            assertThat(parsed.get("version")).isEqualTo(spec.butaneVersion());
            ObjectNode fromYaml = Json.mapper().valueToTree(parsed);
            fromYaml.remove("variant");
            fromYaml.remove("version");
            ObjectNode fromJson = (ObjectNode) Json.mapper().readTree(IgnitionJson.render(c));
            assertThat(fromJson.remove("ignition").path("version").asText()).isEqualTo(spec.version());
            for (JsonNode f : fromJson.path("storage").path("files")) {
                ObjectNode contents = (ObjectNode) f.path("contents");
                String source = contents.path("source").asText();
                if (source.startsWith("data:")) {
                    contents.removeAll();
                    contents.put("inline", DataUrl.decode(source));
                }
            }
            assertThat(fromYaml).isEqualTo(fromJson);
        }
    }

    @Test
    void versionsAndModesAreWrittenTheButaneWay() throws Exception {
        String yaml = ButaneYaml.render(config(IgnitionSpec.V3_3_0));
        assertThat(yaml).startsWith("variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n");
        assertThat(yaml).contains("      mode: 0644\n");
        assertThat(yaml).contains("        inline: |\n          # systemd-sysupdate transfer");
        assertThat(ButaneYaml.render(config(IgnitionSpec.V3_4_0))).startsWith("variant: flatcar\nversion: 1.1.0\n");
    }

    @Test
    void ambiguousScalarsAreQuoted() {
        assertThat(ButaneYaml.scalar("/etc/extensions/docker.raw")).isEqualTo("/etc/extensions/docker.raw");
        assertThat(ButaneYaml.scalar("http://h:1/a%20b/x.raw")).isEqualTo("http://h:1/a%20b/x.raw");
        assertThat(ButaneYaml.scalar("yes")).isEqualTo("\"yes\"");
        assertThat(ButaneYaml.scalar("1.0")).isEqualTo("\"1.0\"");
        assertThat(ButaneYaml.scalar("a: b")).isEqualTo("\"a: b\"");
        assertThat(ButaneYaml.scalar("#x")).isEqualTo("\"#x\"");
        for (String s : List.of("yes", "1.0", "a: b", "#x", "say \"hi\"\\", "tab\there")) {
            Map<String, Object> m = new Yaml().load("k: " + ButaneYaml.scalar(s));
            assertThat(m.get("k")).isEqualTo(s);
        }
    }
}
