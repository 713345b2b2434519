package dev.sysextctl.converter.elf;

/**
 * One {@code DT_RUNPATH} or {@code DT_RPATH} entry that the rewriter wanted to change: {@code applied} when the
 * new string was written in place, otherwise {@code reason} says why not.
 */
public record RunpathChange(String tag, String before, String after, boolean applied, String reason) {
}
