package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ddi.ImagePolicy.Flag;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** systemd's image policy syntax, as systemd-analyze image-policy 257 reads it. */
class ImagePolicyTest {
    @Test
    void rulesFlagsAndTheDefaultForUnlistedPartitions() throws Exception {
        ImagePolicy p = ImagePolicy.parse("root=signed+absent:usr=verity+read-only-on");
        assertThat(p.flags("root")).isEqualTo(EnumSet.of(Flag.SIGNED, Flag.ABSENT));
        assertThat(p.flags("usr")).isEqualTo(EnumSet.of(Flag.VERITY));
        assertThat(p.flags("home")).as("unlisted: unused+absent").isEqualTo(EnumSet.of(Flag.UNUSED, Flag.ABSENT));
        assertThat(ImagePolicy.parse("root=signed:=verity").flags("usr")).isEqualTo(EnumSet.of(Flag.VERITY));
        assertThat(ImagePolicy.parse("root=open").flags("root")).isEqualTo(EnumSet.allOf(Flag.class));
        assertThat(ImagePolicy.parse("root=ignore").flags("root")).isEqualTo(EnumSet.of(Flag.UNUSED, Flag.ABSENT));
        assertThat(ImagePolicy.parse("root=erofs").flags("root")).as("a file system flag alone: any protection")
                .isEqualTo(EnumSet.allOf(Flag.class));
        assertThat(p.describe("root")).isEqualTo("signed+absent");
    }

    @Test
    void theShorthandsAndSysextsDefault() throws Exception {
        assertThat(ImagePolicy.parse("*").flags("root")).isEqualTo(EnumSet.allOf(Flag.class));
        assertThat(ImagePolicy.parse("-").flags("root")).isEqualTo(EnumSet.of(Flag.UNUSED, Flag.ABSENT));
        assertThat(ImagePolicy.parse("~").flags("usr")).isEqualTo(EnumSet.of(Flag.ABSENT));
        ImagePolicy d = ImagePolicy.sysextDefault();
        assertThat(d.flags("root")).isEqualTo(EnumSet.of(Flag.VERITY, Flag.SIGNED, Flag.ENCRYPTED, Flag.UNPROTECTED,
                Flag.ABSENT));
        assertThat(d.flags("usr")).isEqualTo(d.flags("root"));
    }

    @Test
    void malformedPoliciesAreOneUsageLine() {
        assertThatThrownBy(() -> ImagePolicy.parse("root=bogus")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("image policy 'root=bogus' is not valid: 'bogus' is no policy flag");
        assertThatThrownBy(() -> ImagePolicy.parse("rot=signed")).isInstanceOf(UsageException.class)
                .hasMessageContaining("'rot' is no partition identifier");
        assertThatThrownBy(() -> ImagePolicy.parse("root")).isInstanceOf(UsageException.class)
                .hasMessageContaining("rule 'root' has no '='");
        assertThatThrownBy(() -> ImagePolicy.parse("root=signed:root=verity")).isInstanceOf(UsageException.class)
                .hasMessageContaining("partition 'root' is given twice");
    }
}
