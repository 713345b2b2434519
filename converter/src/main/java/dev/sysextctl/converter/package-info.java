/** The converter module of sysextctl. */
package dev.sysextctl.converter;
