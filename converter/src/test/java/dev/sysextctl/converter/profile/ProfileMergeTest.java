package dev.sysextctl.converter.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.TorcxFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** F3 (docs/torcx.md §7): the merge rules of torcx's mergeImages, from profile JSON. */
class ProfileMergeTest {
    private static List<ProfileImage> parse(String json) throws Exception {
        return ProfileManifest.parse(json.getBytes(StandardCharsets.UTF_8), "test.json").images();
    }

    private static List<String> names(List<ProfileImage> images) {
        return images.stream().map(ProfileImage::display).toList();
    }

    private static final String LOWER = TorcxFixtures.profile("profile-manifest-v0", "docker:com.coreos.cl", "foo:1");

    @Test
    void upperOverridesByNameAndComesAfterTheSurvivingLowers() throws Exception {
        List<ProfileImage> merged = ProfileMerge.mergeAll(List.of(parse(LOWER),
                parse(TorcxFixtures.profile("profile-manifest-v0", "docker:19.03"))));
        assertThat(names(merged)).containsExactly("foo:1", "docker:19.03");
    }

    @Test
    void upperEntryWithEmptyReferenceRemovesTheImage() throws Exception {
        List<ProfileImage> merged = ProfileMerge.mergeAll(List.of(parse(LOWER),
                parse(TorcxFixtures.profile("profile-manifest-v0", "docker:"))));
        assertThat(names(merged)).containsExactly("foo:1");
    }

    @Test
    void upperEntryWithEmptyNameIsDropped() throws Exception {
        List<ProfileImage> merged = ProfileMerge.mergeAll(List.of(parse(LOWER),
                parse("{\"kind\":\"profile-manifest-v0\",\"value\":{\"images\":[{\"name\":\"\",\"reference\":\"x\"}]}}")));
        assertThat(names(merged)).containsExactly("docker:com.coreos.cl", "foo:1");
    }

    @Test
    void v0EntrySpelledWithTheDocumentedImageKeyHasNoNameAndIsDropped() throws Exception {
        // compatibility decision: torcx reads "name" (schema, Go struct); the v0 prose's "image" never worked
        List<ProfileImage> upper = parse("{\"kind\":\"profile-manifest-v0\",\"value\":{\"images\":"
                + "[{\"image\":\"docker\",\"reference\":\"19.03\"}]}}");
        assertThat(upper).containsExactly(new ProfileImage("", "19.03", null));
        assertThat(names(ProfileMerge.mergeAll(List.of(parse(LOWER), upper))))
                .containsExactly("docker:com.coreos.cl", "foo:1");
    }

    @Test
    void lowerEntriesWithEmptyReferenceAreDroppedButDuplicatesAreKept() throws Exception {
        List<ProfileImage> merged = ProfileMerge.mergeAll(List.of(
                parse(TorcxFixtures.profile("profile-manifest-v0", "a:", "b:1", "b:2"))));
        assertThat(names(merged)).containsExactly("b:1", "b:2");
    }

    @Test
    void laterLowerProfileOverridesEarlierOne() throws Exception {
        List<ProfileImage> merged = ProfileMerge.mergeAll(List.of(
                parse(TorcxFixtures.profile("profile-manifest-v0", "docker:com.coreos.cl")),
                parse(TorcxFixtures.profile("profile-manifest-v0", "docker:oem", "oemtool:1")),
                parse(TorcxFixtures.profile("profile-manifest-v1", "extra:2:com.example"))));
        assertThat(names(merged)).containsExactly("docker:oem", "oemtool:1", "extra:2");
        assertThat(merged.get(2).remote()).isEqualTo("com.example");
    }
}
