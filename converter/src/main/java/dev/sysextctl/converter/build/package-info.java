/** Writing converted torcx images with the builder: the builder-backed image writer and the converter's defaults. */
package dev.sysextctl.converter.build;
