package dev.sysextctl.converter.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A torcx profile ({@code profile-manifest-v0} or {@code -v1}, docs/torcx.md §1.1): an ordered list of
 * images. Parsing follows torcx: the {@code kind} selects v0 or v1 and anything else is an error; an empty
 * file is a profile without images; each image's name is read from {@code name} (the v0 document's prose says
 * {@code image}, but torcx's JSON schema and Go struct read {@code name}; an entry spelled with {@code image}
 * therefore has an empty name and is dropped by the merge, as it was on a node). {@code remote} is kept for v1.
 */
public record ProfileManifest(String kind, List<ProfileImage> images) {
    public static final String KIND_V0 = "profile-manifest-v0";
    public static final String KIND_V1 = "profile-manifest-v1";

    public ProfileManifest {
        images = List.copyOf(images);
    }

    /** @param where the profile's path, for messages */
    public static ProfileManifest parse(byte[] json, String where) throws RefusedException {
        if (new String(json, StandardCharsets.UTF_8).isBlank()) {
            return new ProfileManifest("", List.of());
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new RefusedException("torcx profile " + where + " is not valid JSON; torcx failed on it too: fix "
                    + "or remove the profile");
        }
        String kind = root == null ? "" : root.path("kind").asText("");
        if (!kind.equals(KIND_V0) && !kind.equals(KIND_V1)) {
            throw new RefusedException("torcx profile " + where + " has kind '" + kind + "', neither " + KIND_V0
                    + " nor " + KIND_V1 + "; torcx refused it too: fix the profile");
        }
        List<ProfileImage> images = new ArrayList<>();
        JsonNode list = root.path("value").path("images");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw new RefusedException("torcx profile " + where + ": value.images is not an array; fix the "
                        + "profile");
            }
            for (JsonNode i : list) {
                String remote = kind.equals(KIND_V1) && i.hasNonNull("remote") ? i.path("remote").asText() : null;
                images.add(new ProfileImage(i.path("name").asText(""), i.path("reference").asText(""), remote));
            }
        }
        return new ProfileManifest(kind, images);
    }
}
