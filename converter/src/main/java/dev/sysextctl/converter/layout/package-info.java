/** Where the content of a torcx image lands in a sysext, and the conversion plan. */
package dev.sysextctl.converter.layout;
