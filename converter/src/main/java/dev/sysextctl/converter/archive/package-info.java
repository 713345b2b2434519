/** Reading torcx archives into a private staging directory, whatever their entry names. */
package dev.sysextctl.converter.archive;
