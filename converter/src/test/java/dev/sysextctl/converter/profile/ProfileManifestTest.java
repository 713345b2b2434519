package dev.sysextctl.converter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProfileManifestTest {
    private static ProfileManifest parse(String s) throws Exception {
        return ProfileManifest.parse(s.getBytes(StandardCharsets.UTF_8), "/etc/torcx/profiles/p.json");
    }

    @Test
    void emptyFileIsAProfileWithoutImages() throws Exception {
        assertThat(parse("").images()).isEmpty();
        assertThat(parse(" \n").images()).isEmpty();
    }

    @Test
    void v0IgnoresRemoteAndV1KeepsIt() throws Exception {
        String images = "\"value\":{\"images\":[{\"name\":\"d\",\"reference\":\"1\",\"remote\":\"r\"}]}}";
        assertThat(parse("{\"kind\":\"profile-manifest-v0\"," + images).images())
                .containsExactly(new ProfileImage("d", "1", null));
        assertThat(parse("{\"kind\":\"profile-manifest-v1\"," + images).images())
                .containsExactly(new ProfileImage("d", "1", "r"));
    }

    @Test
    void unknownKindAndBadJsonAreRefusedWithTheFileName() {
        assertThatThrownBy(() -> parse("{\"kind\":\"profile-manifest-v9\",\"value\":{\"images\":[]}}"))
                .isInstanceOf(RefusedException.class).hasMessageContaining("/etc/torcx/profiles/p.json")
                .hasMessageContaining("profile-manifest-v9");
        assertThatThrownBy(() -> parse("{nope")).isInstanceOf(RefusedException.class)
                .hasMessageContaining("not valid JSON");
    }
}
