package dev.sysextctl.converter.profile;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One image of the merged profile and the archive the store resolves it to; {@code archive} is null and
 * {@code problem} says why when none was found.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedImage(ProfileImage image, StoreArchive archive, String problem) {
    public boolean resolved() {
        return archive != null;
    }
}
