/** torcx profiles, stores and their resolution as torcx did at boot. */
package dev.sysextctl.converter.profile;
