package dev.sysextctl.converter.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Rewrites {@code DT_RUNPATH} and {@code DT_RPATH} strings of an ELF file in place: the rewriter maps the old
 * string to the new one; when the new one is not longer it overwrites the old bytes and pads with NULs, so no
 * offset in the file moves. When it is longer, or another dynamic entry points into the middle of the old
 * string (a shared tail), nothing is written and the change says why.
 */
public final class RunpathRewriter {
    private RunpathRewriter() {
    }

    /**
     * Inspects {@code file} and, when {@code write} is set, applies the changes the rewriter asks for.
     */
    public static ElfInspection rewrite(Path file, UnaryOperator<String> rewriter, boolean write) throws IOException {
        try (FileChannel ch = FileChannel.open(file, write
                ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.READ})) {
            Optional<ElfFile> parsed;
            try {
                parsed = ElfFile.read(ch);
            } catch (ElfFile.ElfFormatException e) {
                return new ElfInspection(true, Optional.empty(), 0, List.of(), List.of(), e.getMessage());
            }
            if (parsed.isEmpty()) {
                return ElfInspection.NOT_ELF;
            }
            ElfFile elf = parsed.get();
            Optional<String> arch = ElfMachine.systemdArchitecture(elf.machine(), elf.is64(), elf.bigEndian());
            List<String> runpaths = new ArrayList<>();
            List<RunpathChange> changes = new ArrayList<>();
            if (!elf.hasDynamicStrings()) {
                return new ElfInspection(true, arch, elf.machine(), runpaths, changes, null);
            }
            try {
                for (ElfFile.DynEntry d : elf.dynamic()) {
                    if (d.tag() != ElfFile.DT_RUNPATH && d.tag() != ElfFile.DT_RPATH) {
                        continue;
                    }
                    String tag = d.tag() == ElfFile.DT_RUNPATH ? "DT_RUNPATH" : "DT_RPATH";
                    String before = elf.string(d.value());
                    runpaths.add(before);
                    String after = rewriter.apply(before);
                    if (after.equals(before)) {
                        continue;
                    }
                    changes.add(apply(ch, elf, d, tag, before, after, write));
                }
            } catch (ElfFile.ElfFormatException e) {
                return new ElfInspection(true, arch, elf.machine(), runpaths, changes, e.getMessage());
            }
            return new ElfInspection(true, arch, elf.machine(), runpaths, changes, null);
        }
    }

    private static RunpathChange apply(FileChannel ch, ElfFile elf, ElfFile.DynEntry d, String tag, String before,
            String after, boolean write) throws IOException {
        byte[] oldBytes = before.getBytes(StandardCharsets.UTF_8);
        byte[] newBytes = after.getBytes(StandardCharsets.UTF_8);
        if (newBytes.length > oldBytes.length) {
            return new RunpathChange(tag, before, after, false, "the new " + tag + " is " + newBytes.length
                    + " bytes, longer than the " + oldBytes.length + " the file has room for");
        }
        long start = d.value();
        long end = start + oldBytes.length;
        for (ElfFile.DynEntry other : elf.dynamic()) {
            if (other == d || !isStringTag(other.tag())) {
                continue;
            }
            if (other.value() > start && other.value() <= end) {
                return new RunpathChange(tag, before, after, false, "another dynamic entry shares the tail of the "
                        + "string; rewriting it in place would change that entry too");
            }
        }
        if (write) {
            ByteBuffer b = ByteBuffer.allocate(oldBytes.length);
            b.put(newBytes);
            while (b.hasRemaining()) {
                b.put((byte) 0);
            }
            b.flip();
            long pos = elf.stringOffset(start);
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }
        return new RunpathChange(tag, before, after, write, write ? null : "not written (inspection only)");
    }

    private static boolean isStringTag(long tag) {
        return tag == ElfFile.DT_NEEDED || tag == ElfFile.DT_SONAME || tag == ElfFile.DT_RPATH
                || tag == ElfFile.DT_RUNPATH || tag == ElfFile.DT_AUXILIARY || tag == ElfFile.DT_FILTER;
    }
}
