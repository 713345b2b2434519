/** Profile migration: image writing seam, reports, node-side leftovers, installation into a root. */
package dev.sysextctl.converter.migration;
