/** The merger module of sysextctl. */
package dev.sysextctl.merger;
