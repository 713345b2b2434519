package dev.sysextctl.provision.ignition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.image.ExtensionImage;
import dev.sysextctl.provision.image.ExtensionImageReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs {@code ignition} writes, checked against the exact shapes of docs/torcx.md §5.4 and the
 * 3.4.0 rules (schema + semantics). Images are stand-in files whose bytes are hashed for real; no image tools
 * are needed because the planner only uses what the reader extracted.
 */
class IgnitionConfigTest {
    private static final String BASE = "https://example.com/sysext";

    @TempDir
    Path dir;

    private ExtensionImage image(String fileName, String name, String version, String arch) throws Exception {
        Path p = dir.resolve(fileName);
        Files.writeString(p, "bytes of " + fileName + "\n");
        ExtensionImageReader.Digests d = ExtensionImageReader.digest(p);
        return new ExtensionImage(p, name, "usr/lib/extension-release.d/extension-release." + name, version, arch,
                d.size(), d.sha256(), d.sha512());
    }

    private static IgnitionOptions options(IgnitionSpec spec, boolean sysupdate, List<String> masks)
            throws UsageException {
        return new IgnitionOptions(BaseUrl.parse(BASE), spec, sysupdate, masks, null, 0);
    }

    private Function<String, byte[]> servedFromDir() {
        return url -> {
            try {
                Path p = dir.resolve(url.substring(BASE.length() + 1));
                return Files.exists(p) ? Files.readAllBytes(p) : null;
            } catch (Exception e) {
                return null;
            }
        };
    }

    @Test
    void sampleConfigHasTheExactBakeryShapes() throws Exception {
        ExtensionImage docker = image("docker-28.0.4-x86-64.raw", "docker", "28.0.4", "x86-64");
        NodeConfigPlanner.Plan plan = new NodeConfigPlanner().plan(List.of(docker),
                options(IgnitionSpec.V3_4_0, true, List.of("docker-flatcar", "containerd-flatcar")));
        String transfer = "# systemd-sysupdate transfer for the sysext 'docker' (written by sysextctl)\n"
                + "[Transfer]\nVerify=false\n\n[Source]\nType=url-file\nPath=https://example.com/sysext/\n"
                + "MatchPattern=docker-@v-%a.raw\n\n[Target]\nType=regular-file\nPath=/opt/extensions/docker\n"
                + "MatchPattern=docker-@v-%a.raw\nCurrentSymlink=/etc/extensions/docker.raw\nInstancesMax=3\n";
        String expected = """
                {
                  "ignition": {
                    "version": "3.4.0"
                  },
                  "storage": {
                    "files": [
                      {
                        "path": "/opt/extensions/docker/docker-28.0.4-x86-64.raw",
                        "mode": 420,
                        "contents": {
                          "source": "https://example.com/sysext/docker-28.0.4-x86-64.raw",
                          "verification": {
                            "hash": "sha512-%s"
                          }
                        }
                      },
                      {
                        "path": "/etc/sysupdate.docker.d/docker.conf",
                        "mode": 420,
                        "contents": {
                          "source": "%s",
                          "compression": ""
                        }
                      },
                      {
                        "path": "/etc/sysupdate.d/noop.conf",
                        "mode": 420,
                        "contents": {
                          "source": "%s",
                          "compression": ""
                        }
                      }
                    ],
                    "directories": [
                      {
                        "path": "/etc/extensions/docker-flatcar",
                        "mode": 493,
                        "overwrite": true
                      },
                      {
                        "path": "/etc/extensions/containerd-flatcar",
                        "mode": 493,
                        "overwrite": true
                      }
                    ],
                    "links": [
                      {
                        "path": "/etc/extensions/docker.raw",
                        "target": "/opt/extensions/docker/docker-28.0.4-x86-64.raw",
                        "hard": false
                      },
                      {
                        "path": "/etc/extensions/docker-flatcar.raw",
                        "target": "/dev/null",
                        "overwrite": true
                      },
                      {
                        "path": "/etc/extensions/containerd-flatcar.raw",
                        "target": "/dev/null",
                        "overwrite": true
                      }
                    ]
                  },
                  "systemd": {
                    "units": [
                      {
                        "name": "systemd-sysupdate.timer",
                        "enabled": true
                      },
                      {
                        "name": "systemd-sysupdate.service",
                        "dropins": [
                          {
                            "name": "docker.conf",
                            "contents": "[Service]\\nExecStartPre=/usr/bin/sh -c \\"readlink --canonicalize /etc/extensions/docker.raw > /tmp/docker\\"\\nExecStartPre=/usr/lib/systemd/systemd-sysupdate -C docker update\\nExecStartPost=/usr/bin/sh -c \\"readlink --canonicalize /etc/extensions/docker.raw > /tmp/docker-new\\"\\nExecStartPost=/usr/bin/sh -c \\"if ! cmp --silent /tmp/docker /tmp/docker-new; then touch /run/reboot-required; fi\\"\\n"
                          }
                        ]
                      }
                    ]
                  }
                }
                """.formatted(docker.sha512(), DataUrl.encode(transfer),
                DataUrl.encode(dev.sysextctl.provision.sysupdate.NoopTransfer.CONTENT));
        assertThat(IgnitionJson.render(plan.config())).isEqualTo(expected);
        assertThat(plan.downloads()).containsExactly(BASE + "/docker-28.0.4-x86-64.raw");
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void everyVariantPassesThe340SchemaAndSemanticRules() throws Exception {
        ExtensionImage docker = image("docker-28.0.4-x86-64.raw", "docker", "28.0.4", "x86-64");
        ExtensionImage k8s = image("kubernetes-v1.32.2-x86-64.raw", "kubernetes", "v1.32.2", "x86-64");
        ExtensionImage plain = image("tools.raw", "tools", null, null);
        List<NodeConfig> configs = List.of(
                new NodeConfigPlanner().plan(List.of(plain), options(IgnitionSpec.V3_4_0, false, List.of())).config(),
                new NodeConfigPlanner().plan(List.of(docker, k8s),
                        options(IgnitionSpec.V3_4_0, true, List.of("docker-flatcar"))).config(),
                new NodeConfigPlanner().plan(List.of(docker, plain),
                        options(IgnitionSpec.V3_4_0, false, List.of("containerd-flatcar.raw"))).config(),
                new NodeConfigPlanner().plan(List.of(docker), new IgnitionOptions(BaseUrl.parse(BASE + "/"),
                        IgnitionSpec.V3_4_0, true, List.of(), SystemdVersion.parse("257"), 2)).config());
        for (NodeConfig c : configs) {
            JsonNode json = Json.mapper().readTree(IgnitionJson.render(c));
            assertThat(IgnitionRules.schemaViolations(json)).as(json.toString()).isEmpty();
            assertThat(IgnitionRules.semanticViolations(json, servedFromDir())).as(json.toString()).isEmpty();
        }
    }

    @Test
    void theRulesCatchBrokenConfigs() throws Exception {
        ExtensionImage docker = image("docker-28.0.4-x86-64.raw", "docker", "28.0.4", "x86-64");
        NodeConfig good = new NodeConfigPlanner().plan(List.of(docker),
                options(IgnitionSpec.V3_4_0, true, List.of("docker-flatcar"))).config();
        ObjectNode modeAsString = IgnitionJson.tree(good);
        ((ObjectNode) modeAsString.at("/storage/files/0")).put("mode", "0644");
        ObjectNode sha1 = IgnitionJson.tree(good);
        ((ObjectNode) sha1.at("/storage/files/0/contents/verification")).put("hash", "sha1-" + "a".repeat(40));
        ObjectNode relative = IgnitionJson.tree(good);
        ((ObjectNode) relative.at("/storage/links/0")).put("path", "etc/extensions/docker.raw");
        ObjectNode unknownKey = IgnitionJson.tree(good);
        ((ObjectNode) unknownKey.at("/storage/links/0")).put("mode", 420);
        ObjectNode dropinName = IgnitionJson.tree(good);
        ((ObjectNode) dropinName.at("/systemd/units/1/dropins/0")).put("name", "docker.service");
        ObjectNode version = IgnitionJson.tree(good);
        ((ObjectNode) version.at("/ignition")).put("version", "3.3.0");
        for (ObjectNode bad : List.of(modeAsString, sha1, relative, unknownKey, dropinName, version)) {
            assertThat(IgnitionRules.schemaViolations(bad)).as(bad.toString()).isNotEmpty();
        }

        ObjectNode unclean = IgnitionJson.tree(good);
        ((ObjectNode) unclean.at("/storage/files/1")).put("path", "/etc/sysupdate.docker.d//docker.conf");
        ObjectNode duplicate = IgnitionJson.tree(good);
        ((ObjectNode) duplicate.at("/storage/links/1")).put("path", "/etc/extensions/docker.raw");
        ObjectNode underLink = IgnitionJson.tree(good);
        ((ObjectNode) underLink.at("/storage/files/1")).put("path", "/etc/extensions/docker.raw/x.conf");
        ObjectNode wrongHash = IgnitionJson.tree(good);
        ((ObjectNode) wrongHash.at("/storage/files/0/contents/verification")).put("hash",
                "sha512-" + "0".repeat(128));
        for (ObjectNode bad : List.of(unclean, duplicate, underLink, wrongHash)) {
            assertThat(IgnitionRules.schemaViolations(bad)).as(bad.toString()).isEmpty();
            assertThat(IgnitionRules.semanticViolations(bad, servedFromDir())).as(bad.toString()).isNotEmpty();
        }
    }

    @Test
    void withoutSysupdateTheImageKeepsItsFileNameAndNoUnitsAreWritten() throws Exception {
        ExtensionImage plain = image("tools.raw", "tools", null, null);
        NodeConfig c = new NodeConfigPlanner().plan(List.of(plain), options(IgnitionSpec.V3_3_0, false,
                List.of())).config();
        JsonNode json = IgnitionJson.tree(c);
        assertThat(json.at("/ignition/version").asText()).isEqualTo("3.3.0");
        assertThat(json.at("/storage/files/0/path").asText()).isEqualTo("/opt/extensions/tools/tools.raw");
        assertThat(json.at("/storage/files/0/contents/source").asText()).isEqualTo(BASE + "/tools.raw");
        assertThat(json.at("/storage/links/0/target").asText()).isEqualTo("/opt/extensions/tools/tools.raw");
        assertThat(json.at("/storage/files")).hasSize(1);
        assertThat(json.has("systemd")).isFalse();
    }

    @Test
    void systemd257GetsTransferSuffixes() throws Exception {
        ExtensionImage docker = image("docker-28.0.4-x86-64.raw", "docker", "28.0.4", "x86-64");
        NodeConfig c = new NodeConfigPlanner().plan(List.of(docker), new IgnitionOptions(BaseUrl.parse(BASE),
                null, true, List.of(), SystemdVersion.parse("257"), 2)).config();
        assertThat(c.files()).extracting(NodeConfig.NodeFile::path).containsExactly(
                "/opt/extensions/docker/docker-28.0.4-x86-64.raw", "/etc/sysupdate.docker.d/docker.transfer",
                "/etc/sysupdate.d/noop.transfer");
        assertThat(c.files().get(1).inline()).contains("InstancesMax=2\n");
    }

    @Test
    void sysupdateNeedsAVersionAndAnArchitecture() throws Exception {
        ExtensionImage plain = image("tools.raw", "tools", null, "x86-64");
        assertThatThrownBy(() -> new NodeConfigPlanner().plan(List.of(plain), options(null, true, List.of())))
                .isInstanceOf(RefusedException.class).hasMessageContaining("no SYSEXT_VERSION_ID")
                .hasMessageContaining("--version");
        ExtensionImage tilde = image("tools-2.0~rc1-x86-64.raw", "tools", "2.0~rc1", "x86-64");
        assertThatThrownBy(() -> new NodeConfigPlanner().plan(List.of(tilde), options(null, true, List.of())))
                .isInstanceOf(RefusedException.class).hasMessageContaining("'~'");
    }

    @Test
    void twoImagesOfOneNameAreRefused() throws Exception {
        ExtensionImage a = image("docker-1-x86-64.raw", "docker", "1", "x86-64");
        ExtensionImage b = image("docker-2-x86-64.raw", "docker", "2", "x86-64");
        assertThatThrownBy(() -> new NodeConfigPlanner().plan(List.of(a, b), options(null, false, List.of())))
                .isInstanceOf(RefusedException.class).hasMessageContaining("both the extension 'docker'");
    }

    @Test
    void masksAreCheckedAndBuiltInsAreNoted() throws Exception {
        ExtensionImage docker = image("docker-28.0.4-x86-64.raw", "docker", "28.0.4", "x86-64");
        assertThatThrownBy(() -> new NodeConfigPlanner().plan(List.of(docker),
                options(null, false, List.of("docker")))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> new NodeConfigPlanner().plan(List.of(docker),
                options(null, false, List.of("a/b")))).isInstanceOf(UsageException.class);
        NodeConfigPlanner.Plan plan = new NodeConfigPlanner().plan(List.of(docker),
                options(null, false, List.of()));
        assertThat(plan.notes()).singleElement().asString().contains("--mask docker-flatcar");
        assertThat(plan.config().spec()).isEqualTo(IgnitionSpec.V3_4_0);
    }

    @Test
    void maskWritesTheMaskDirectoryMaskWritesAndTheDisablingLink() throws Exception {
        ExtensionImage docker = image("docker-28.0.4-x86-64.raw", "docker", "28.0.4", "x86-64");
        NodeConfig c = new NodeConfigPlanner().plan(List.of(docker),
                options(IgnitionSpec.V3_4_0, false, List.of("docker-flatcar.raw", "containerd-flatcar"))).config();
        assertThat(c.directories()).containsExactly(
                new NodeConfig.NodeDirectory(ExtensionConfig.Entry.MASK_DIRECTORY.path("docker-flatcar"), 0755, true),
                new NodeConfig.NodeDirectory(ExtensionConfig.Entry.MASK_DIRECTORY.path("containerd-flatcar"), 0755,
                        true));
        assertThat(c.links()).extracting(NodeConfig.NodeLink::path).containsExactly("/etc/extensions/docker.raw",
                "/etc/extensions/docker-flatcar.raw", "/etc/extensions/containerd-flatcar.raw");
        JsonNode json = IgnitionJson.tree(c);
        assertThat(json.at("/storage/directories").toString()).isEqualTo("[{\"path\":\"/etc/extensions/docker-flatcar\","
                + "\"mode\":493,\"overwrite\":true},{\"path\":\"/etc/extensions/containerd-flatcar\",\"mode\":493,"
                + "\"overwrite\":true}]");
        assertThat(IgnitionRules.schemaViolations(json)).as(json.toString()).isEmpty();
        assertThat(IgnitionRules.semanticViolations(json, servedFromDir())).as(json.toString()).isEmpty();
        assertThat(ButaneYaml.render(c)).contains("""
                  directories:
                    - path: /etc/extensions/docker-flatcar
                      mode: 0755
                      overwrite: true
                    - path: /etc/extensions/containerd-flatcar
                      mode: 0755
                      overwrite: true
                  links:
                """);

        NodeConfig none = new NodeConfigPlanner().plan(List.of(docker), options(null, false, List.of())).config();
        assertThat(none.directories()).isEmpty();
        assertThat(IgnitionJson.tree(none).at("/storage").has("directories")).isFalse();
        assertThat(ButaneYaml.render(none)).doesNotContain("directories");
    }

    @Test
    void withSysextctlUrlAddsAnUnverifiedDownloadAndItsLinkWithoutABaseUrl() throws Exception {
        String url = "https://dl.example.com/sysextctl/sysextctl-0.2.0-x86-64.raw";
        NodeConfigPlanner.Plan plan = new NodeConfigPlanner().plan(List.of(), new IgnitionOptions(null, null, false,
                List.of(), null, 0, SysextctlImage.parse(url)));
        JsonNode json = IgnitionJson.tree(plan.config());
        assertThat(json.at("/storage/files")).hasSize(1);
        assertThat(json.at("/storage/files/0/path").asText())
                .isEqualTo("/opt/extensions/sysextctl/sysextctl-0.2.0-x86-64.raw");
        assertThat(json.at("/storage/files/0/contents/source").asText()).isEqualTo(url);
        assertThat(json.at("/storage/files/0/contents").has("verification")).isFalse();
        assertThat(json.at("/storage/links/0/path").asText()).isEqualTo("/etc/extensions/sysextctl.raw");
        assertThat(json.at("/storage/links/0/target").asText())
                .isEqualTo("/opt/extensions/sysextctl/sysextctl-0.2.0-x86-64.raw");
        assertThat(plan.downloads()).containsExactly(url);
        assertThat(plan.notes()).singleElement().asString().contains("does not verify", "--with-sysextctl");
        assertThat(IgnitionRules.schemaViolations(json)).as(json.toString()).isEmpty();
        assertThat(ButaneYaml.render(plan.config())).contains("source: " + url).doesNotContain("verification");
    }

    @Test
    void withSysextctlUrlGoesBesideTheImagesAndCannotBeMaskedOrDoubled() throws Exception {
        ExtensionImage docker = image("docker-28.0.4-x86-64.raw", "docker", "28.0.4", "x86-64");
        SysextctlImage self = SysextctlImage.parse("http://10.0.0.1:8080/s/sysextctl-1-arm64.raw");
        NodeConfig c = new NodeConfigPlanner().plan(List.of(docker), new IgnitionOptions(BaseUrl.parse(BASE), null,
                false, List.of("docker-flatcar"), null, 0, self)).config();
        assertThat(c.links()).extracting(NodeConfig.NodeLink::path).containsExactly("/etc/extensions/docker.raw",
                "/etc/extensions/sysextctl.raw", "/etc/extensions/docker-flatcar.raw");
        assertThat(c.files()).extracting(NodeConfig.NodeFile::sha512).containsExactly(docker.sha512(), null);

        assertThatThrownBy(() -> new NodeConfigPlanner().plan(List.of(docker), new IgnitionOptions(
                BaseUrl.parse(BASE), null, false, List.of("sysextctl"), null, 0, self)))
                .isInstanceOf(UsageException.class).hasMessageContaining("--mask sysextctl");
        ExtensionImage other = image("sysextctl.raw", "sysextctl", null, null);
        assertThatThrownBy(() -> new NodeConfigPlanner().plan(List.of(other), new IgnitionOptions(
                BaseUrl.parse(BASE), null, false, List.of(), null, 0, self)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("give one of them");
    }

    @Test
    void withSysextctlTellsFilesFromUrlsAndRefusesOtherUrls() throws Exception {
        assertThat(SysextctlImage.parse("dist/sysextctl-1-x86-64.raw"))
                .isEqualTo(new SysextctlImage.File(Path.of("dist/sysextctl-1-x86-64.raw")));
        assertThat(SysextctlImage.parse("HTTPS://h.example/a%2Bb/sysextctl%2B1.raw"))
                .isEqualTo(new SysextctlImage.Url("HTTPS://h.example/a%2Bb/sysextctl%2B1.raw", "sysextctl+1.raw"));
        for (String bad : List.of("ftp://h.example/sysextctl.raw", "https://h.example/dir/", "https:///x.raw",
                "https://h.example/sysextctl.tar", "https://h.example/a b.raw", " ")) {
            assertThatThrownBy(() -> SysextctlImage.parse(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("--with-sysextctl");
        }
    }
}
