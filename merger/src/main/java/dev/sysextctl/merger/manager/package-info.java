/**
 * Keeping the running service manager (PID 1) in step with the merge: after a change of the live merge, reload
 * it when an extension of the old or new merged set says {@code EXTENSION_RELOAD_MANAGER=1} (as systemd-sysext
 * 255+ does, and 252 does not), and stop the units that were left running after their unit file left with an
 * unmerged image.
 */
package dev.sysextctl.merger.manager;
