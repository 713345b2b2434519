package dev.sysextctl.core.tools;

import java.nio.file.Path;

/**
 * What mksquashfs reads when it reads a directory itself ({@link Mksquashfs#buildFromDirectory}).
 *
 * @param directory the tree; its content becomes the image's root
 * @param pseudoFile pseudo-file definitions ({@code -pf}), one a line (files made from a command's output, directories
 *     the tree lacks); null for none
 * @param excludeFile paths relative to {@code directory} to leave out ({@code -ef}), one a line; null for none
 */
public record SquashfsDirectoryInput(Path directory, Path pseudoFile, Path excludeFile) {
}
