package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.elf.ElfFile;
import dev.sysextctl.converter.elf.ElfInspection;
import dev.sysextctl.converter.elf.RunpathChange;
import dev.sysextctl.converter.elf.RunpathRewriter;
import dev.sysextctl.converter.rewrite.RewriteResult;
import dev.sysextctl.converter.rewrite.TorcxReferences;
import dev.sysextctl.converter.rewrite.UnitRewriter;
import dev.sysextctl.core.tree.EntryType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the contents of staged files: ELF runpaths into {@code /run/torcx/unpack/NAME} are patched in place (the
 * staged blobs are the converter's private copies) and their architectures counted; units and drop-ins lose their
 * torcx references and follow the {@code usr/sbin} moves; other text files that mention torcx are rewritten too.
 * What cannot be rewritten is a finding.
 */
final class RewriteContentsStep implements PlanStep {
    private static final int MAX_TEXT = 1 << 20;
    /** An absolute {@code /usr/sbin/NAME} in unit text, not part of a longer path. */
    private static final Pattern USR_SBIN_WORD = Pattern.compile("(?<![\\w./-])/usr/sbin/([\\w.+@-]+)");

    @Override
    public void apply(PlanDraft d) throws IOException {
        UnitRewriter unitRewriter = new UnitRewriter(d.references());
        Map<Path, ElfInspection> inspected = new HashMap<>();
        for (Map.Entry<String, PlannedEntry> me : new ArrayList<>(d.entries().entrySet())) {
            PlannedEntry p = me.getValue();
            if (p.entry().type() != EntryType.FILE
                    || !(p.content() instanceof EntryContent.Blob blob)) {
                continue;
            }
            byte[] head;
            try (InputStream in = blob.open()) {
                head = in.readNBytes(4);
            }
            if (ElfFile.hasMagic(head)) {
                boolean first = !inspected.containsKey(blob.path());
                ElfInspection ins = inspected.get(blob.path());
                if (ins == null) {
                    ins = RunpathRewriter.rewrite(blob.path(), s -> d.references().rewrite(s).text(), true);
                    inspected.put(blob.path(), ins);
                }
                reportElf(d, p.path(), ins, first);
                continue;
            }
            if (blob.size() > MAX_TEXT) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = blob.open()) {
                bytes = in.readAllBytes();
            }
            String text = decodeText(bytes);
            if (text == null) {
                continue;
            }
            boolean unit = UnitRewriter.isUnitPath(p.path());
            if (!unit && !TorcxReferences.mentionsTorcx(text)) {
                continue;
            }
            RewriteResult r = unit ? unitRewriter.rewrite(text) : d.references().rewrite(text);
            List<String> done = new ArrayList<>(r.changed() ? r.changes() : List.of());
            String result = r.changed() ? r.text() : text;
            if (unit) {
                result = followSbinMoves(d.sbinMoves(), result, done);
            }
            if (!done.isEmpty() && !result.equals(text)) {
                byte[] out = result.getBytes(StandardCharsets.UTF_8);
                d.entries().put(me.getKey(), p.with(p.entry().withSize(out.length), new EntryContent.Bytes(out)));
                d.change(unit ? ConversionChange.Kind.UNIT_REWRITTEN : ConversionChange.Kind.TEXT_REWRITTEN,
                        p.path(), String.join("; ", done));
            }
            if (!r.unresolved().isEmpty()) {
                d.warn(ConversionRules.REFERENCE, p.path(), p.path() + " still refers to torcx: "
                        + String.join(", ", r.unresolved()) + "; this breaks without torcx",
                        "edit the file in the image (or a drop-in on the node)");
            }
        }
    }

    private static void reportElf(PlanDraft d, String path, ElfInspection ins, boolean first) {
        if (first && ins.architecture().isPresent()) {
            d.architectures().merge(ins.architecture().get(), 1, Integer::sum);
        }
        for (RunpathChange c : ins.changes()) {
            if (c.applied()) {
                d.change(ConversionChange.Kind.RUNPATH, path, c.tag() + " " + c.before() + " -> " + c.after());
            } else {
                d.warn(ConversionRules.RUNPATH, path, c.tag() + " " + c.before() + " cannot become " + c.after()
                        + ": " + c.reason() + "; the binary will not find its libraries", "relink it, or set the "
                        + "runpath with 'patchelf --set-rpath " + c.after() + "' before converting");
            }
        }
        for (String rp : ins.runpaths()) {
            if (rp.contains("/run/torcx") && ins.changes().stream().noneMatch(c -> c.before().equals(rp)
                    && c.applied())) {
                if (ins.changes().stream().noneMatch(c -> c.before().equals(rp))) {
                    d.warn(ConversionRules.RUNPATH, path, "runpath " + rp + " points into torcx's runtime "
                            + "directories and could not be mapped", "set the runpath with patchelf to a path under "
                            + "/usr");
                }
            }
        }
    }

    /** The text of a file that is UTF-8 without NUL bytes, else null (binary). */
    static String decodeText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Unit text with every {@code /usr/sbin/X} the conversion moved pointing at {@code /usr/bin/X}. */
    static String followSbinMoves(Map<String, String> sbinMoves, String text, List<String> done) {
        if (sbinMoves.isEmpty()) {
            return text;
        }
        Matcher m = USR_SBIN_WORD.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String moved = sbinMoves.get("usr/sbin/" + m.group(1));
            String replacement = moved == null ? m.group() : "/" + moved;
            if (moved != null) {
                done.add(m.group() + " -> " + replacement);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
