/** Writing converted torcx images with the builder: build settings and the builder-backed image writer. */
package dev.sysextctl.converter.build;
