package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelVerityTest {
    /** The line test without a regular expression decides as {@code trim().split("\\s+")} did. */
    @Test
    void deviceMapperLinesAreToldAsTheRegexSplitTellsThem() {
        for (String line : List.of("253 device-mapper", " 253 device-mapper", "253\tdevice-mapper\t", "236 device-mapper",
                "253  \t device-mapper", "device-mapper", "253 device-mapper x", "253 device-mapperx", "253 xdevice-mapper",
                "", "   ", "Character devices:", "  1 mem", "253 device-mapper\r", "253\u000Bdevice-mapper",
                "253\u0001 device-mapper", "a b device-mapper", "253 device-mapp")) {
            String[] f = line.trim().split("\\s+");
            boolean regex = f.length == 2 && f[1].equals("device-mapper");
            assertThat(KernelVerity.namesDeviceMapper(line)).as("'%s'", line).isEqualTo(regex);
        }
    }
}
