package dev.sysextctl.converter.profile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * torcx's profile merge ({@code mergeImages}, docs/torcx.md §1.3), folded over the lower profiles and
 * then the upper one. Exactly as torcx: every name that appears in the upper list removes the lower entries of
 * that name (whatever the upper reference, so an upper entry with an empty reference masks the image); lower
 * entries survive when their name is non-empty and some lower entry of that name had a non-empty reference;
 * upper entries are appended under the same rule; order is kept; duplicates within one list are kept.
 */
public final class ProfileMerge {
    private ProfileMerge() {
    }

    public static List<ProfileImage> merge(List<ProfileImage> lower, List<ProfileImage> upper) {
        Set<String> keepLower = new HashSet<>();
        Set<String> keepUpper = new HashSet<>();
        for (ProfileImage i : lower) {
            if (!i.reference().isEmpty()) {
                keepLower.add(i.name());
            }
        }
        for (ProfileImage i : upper) {
            keepLower.remove(i.name());
            if (!i.reference().isEmpty()) {
                keepUpper.add(i.name());
            }
        }
        List<ProfileImage> merged = new ArrayList<>();
        for (ProfileImage i : lower) {
            if (!i.name().isEmpty() && keepLower.contains(i.name())) {
                merged.add(i);
            }
        }
        for (ProfileImage i : upper) {
            if (!i.name().isEmpty() && keepUpper.contains(i.name())) {
                merged.add(i);
            }
        }
        return merged;
    }

    /** Folds {@link #merge} over the profiles in order (lowers first, then the upper), from an empty list. */
    public static List<ProfileImage> mergeAll(List<List<ProfileImage>> profiles) {
        List<ProfileImage> acc = List.of();
        for (List<ProfileImage> p : profiles) {
            acc = merge(acc, p);
        }
        return acc;
    }
}
