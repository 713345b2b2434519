/** The torcx image manifest (.torcx/manifest.json). */
package dev.sysextctl.converter.manifest;
