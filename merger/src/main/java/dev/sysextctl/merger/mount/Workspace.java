package dev.sysextctl.merger.mount;

import dev.sysextctl.core.image.ExtensionClass;

/**
 * Where a merge assembles its layers inside its private mount namespace: the same paths systemd-sysext uses
 * ({@code /run/systemd/sysext/{extensions,meta,overlay}}, on a private tmpfs), so an overlay's
 * {@code lowerdir=} reads the same whichever engine made it. {@code .sysextctl/} holds sysextctl's own scratch
 * (step logs, saved merges for rollback).
 */
public final class Workspace {
    public static final String ROOT = "/run/systemd/sysext";
    public static final String SCRATCH = ROOT + "/.sysextctl";

    private Workspace() {
    }

    /** Where image {@code name} is mounted. */
    public static String extension(String name) {
        return ROOT + "/extensions/" + name;
    }

    /**
     * Where image {@code name} of class {@code c} is mounted: {@code extensions/NAME} or {@code confexts/NAME}, as
     * systemd-confext 257 does (its {@code lowerdir=} reads {@code /run/systemd/sysext/confexts/NAME/etc}).
     */
    public static String extension(ExtensionClass c, String name) {
        return ROOT + "/" + c.plural() + "/" + name;
    }

    /** The meta layer of hierarchy {@code h} ({@code /usr}). */
    public static String meta(String h) {
        return ROOT + "/meta" + h;
    }

    /** Where the overlay of {@code h} is assembled before it is bound onto the node's hierarchy. */
    public static String overlay(String h) {
        return ROOT + "/overlay" + h;
    }

    /** Where the previous merge of {@code h} is kept until the new one is in place. */
    public static String saved(String h) {
        return SCRATCH + "/saved" + h;
    }

    /** A stand-in path for a layer whose real path cannot be written into mount options. */
    public static String alias(int n) {
        return SCRATCH + "/alias/" + n;
    }
}
