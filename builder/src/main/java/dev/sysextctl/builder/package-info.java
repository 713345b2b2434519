/** The builder module of sysextctl. */
package dev.sysextctl.builder;
