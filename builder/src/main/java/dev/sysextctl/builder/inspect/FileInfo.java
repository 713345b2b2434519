package dev.sysextctl.builder.inspect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;

/**
 * One path of an image as {@code inspect --files} lists it; {@code mode} is octal ({@code 0755}); {@code line} is
 * the human rendering ({@code -rwxr-xr-x 0/0     1234 usr/bin/hello}, names C-escaped: a newline in a name is
 * {@code \n}), not part of the JSON.
 */
@JsonPropertyOrder({"path", "type", "mode", "uid", "gid", "size", "linkTarget"})
public record FileInfo(String path, String type, String mode, int uid, int gid, long size, String linkTarget,
        @JsonIgnore String line) {
    public static FileInfo of(TreeEntry e) {
        String sz = e.type() == EntryType.CHAR_DEVICE || e.type() == EntryType.BLOCK_DEVICE
                ? e.devMajor() + "," + e.devMinor() : Long.toString(e.size());
        String line = e.lsMode() + " " + e.uid() + "/" + e.gid() + " " + String.format("%8s", sz) + " "
                + (e.path().isEmpty() ? "/" : ImagePaths.cescape(e.path()))
                + (e.linkTarget() != null ? " -> " + ImagePaths.cescape(e.linkTarget()) : "");
        return new FileInfo(e.path(), e.type().jsonName(), String.format("%04o", e.mode()), e.uid(), e.gid(),
                e.size(), e.linkTarget(), line);
    }
}
