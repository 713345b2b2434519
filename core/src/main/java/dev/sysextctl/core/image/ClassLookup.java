package dev.sysextctl.core.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Both release lookups of one image (docs/compatibility.md §2.1, §2.7): the sysext's
 * ({@code usr/lib/extension-release.d/}) and the confext's ({@code etc/extension-release.d/}). An image is of a class
 * when it carries that class's release file ({@link #carries}: found, or present but ambiguous or unreadable); an
 * image carrying neither is ignored by both tools, one carrying both is merged by both.
 */
public record ClassLookup(ReleaseLookup sysext, ReleaseLookup confext) {
    /** Which classes an image is of. */
    public enum Kind {
        SYSEXT, CONFEXT, BOTH, NONE
    }

    /** The lookup of {@code cls}. */
    public ReleaseLookup of(ExtensionClass cls) {
        return cls == ExtensionClass.CONFEXT ? confext : sysext;
    }

    /** Whether the image has a release file of {@code cls} at all (anything but "not found"). */
    public boolean carries(ExtensionClass cls) {
        return of(cls).status() != ReleaseLookup.Status.NOT_FOUND;
    }

    /** The classes the image carries a release file of, sysext first. */
    public List<ExtensionClass> classes() {
        List<ExtensionClass> out = new ArrayList<>();
        for (ExtensionClass c : ExtensionClass.values()) {
            if (carries(c)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    public Kind kind() {
        boolean s = carries(ExtensionClass.SYSEXT);
        boolean c = carries(ExtensionClass.CONFEXT);
        return s && c ? Kind.BOTH : s ? Kind.SYSEXT : c ? Kind.CONFEXT : Kind.NONE;
    }
}
