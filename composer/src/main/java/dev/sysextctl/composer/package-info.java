/**
 * {@code sysextctl compose}: a base {@code /usr} and extensions merged, as systemd-sysext's overlay shows them, into
 * one image (docs/cli.md §10).
 */
package dev.sysextctl.composer;
