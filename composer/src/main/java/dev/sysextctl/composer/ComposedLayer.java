package dev.sysextctl.composer;

import java.util.List;

/**
 * One layer of a composition, bottom first: the base, then the extensions in systemd-sysext's order.
 *
 * @param name the extension's name ({@code base} for the base)
 * @param image the image as given
 * @param rule the compatibility rule that decided (null for the base)
 * @param reason why the extension was accepted (or, with {@code --force}, would have been refused)
 * @param hierarchies the hierarchies it contributes to ({@code usr}, {@code opt})
 */
public record ComposedLayer(String name, String image, String rule, String reason, List<String> hierarchies) {
    public ComposedLayer {
        hierarchies = List.copyOf(hierarchies);
    }
}
