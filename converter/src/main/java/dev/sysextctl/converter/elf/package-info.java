/** Reading ELF headers and rewriting runpaths in place. */
package dev.sysextctl.converter.elf;
