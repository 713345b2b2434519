package dev.sysextctl.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.UsageException;
import org.junit.jupiter.api.Test;

class BaseUrlTest {
    @Test
    void normalisesTheTrailingSlash() throws Exception {
        BaseUrl u = BaseUrl.parse("https://example.com/sysext///");
        assertThat(u.directory()).isEqualTo("https://example.com/sysext/");
        assertThat(u.file("docker-1+b2-x86-64.raw")).isEqualTo("https://example.com/sysext/docker-1+b2-x86-64.raw");
        assertThat(u.file("a b.raw")).isEqualTo("https://example.com/sysext/a%20b.raw");
    }

    @Test
    void refusesWhatCannotBeDownloaded() {
        for (String bad : new String[] {"ftp://example.com/", "/srv/sysext", "https://example.com/?x=1",
            "http://", "not a url"}) {
            assertThatThrownBy(() -> BaseUrl.parse(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("--base-url");
        }
    }
}
