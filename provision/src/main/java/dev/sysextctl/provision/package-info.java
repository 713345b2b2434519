/** The provision module of sysextctl. */
package dev.sysextctl.provision;
