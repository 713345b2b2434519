/** Rewriting torcx references in units, drop-ins and text files. */
package dev.sysextctl.converter.rewrite;
