package dev.sysextctl.provision.ignition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataUrlTest {
    @Test
    void shortTextIsPercentEscapedLikeButane() {
        // Butane's own test: "file contents\n" → data:,file%20contents%0A
        assertThat(DataUrl.encode("file contents\n")).isEqualTo("data:,file%20contents%0A");
        assertThat(DataUrl.encode("a-b_c.d~e")).isEqualTo("data:,a-b_c.d~e");
    }

    @Test
    void base64WinsWhenShorter() {
        String text = dev.sysextctl.provision.sysupdate.NoopTransfer.CONTENT;
        String url = DataUrl.encode(text);
        assertThat(url).startsWith("data:;base64,");
        assertThat(url.length()).isLessThan(("data:," + DataUrl.escape(text.getBytes())).length());
        assertThat(DataUrl.decode(url)).isEqualTo(text);
    }

    @Test
    void roundTripsUtf8() {
        String text = "Grüße / ünïcode\n";
        assertThat(DataUrl.decode(DataUrl.encode(text))).isEqualTo(text);
        assertThat(DataUrl.decode("data:,%C3%BC")).isEqualTo("ü");
    }
}
