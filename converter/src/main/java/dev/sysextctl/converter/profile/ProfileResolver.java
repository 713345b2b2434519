package dev.sysextctl.converter.profile;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.release.OsReleaseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a node's torcx profile set exactly as torcx's generator did at boot (docs/torcx.md §1.2–1.4,
 * §2.1–2.2): the optional config file, the profile directories, the lower profiles ({@code vendor} — or
 * {@code docker-1.12-yes}/{@code -no} when Flatcar's flag file says so and that profile exists — then
 * {@code oem}, each only if it exists), the upper profile from {@code next-profile} (trimmed, a trailing
 * {@code .json} stripped, ignored with a warning when it names no profile), the merge, and for every merged
 * image its archive in the stores. Everything is read inside {@code root}.
 */
public final class ProfileResolver {
    public static final String VENDOR = "vendor";
    public static final String OEM = "oem";

    private ProfileResolver() {
    }

    public static ProfileResolution resolve(ProfileRequest request) throws SysextctlException {
        Path root = request.root();
        if (!Files.isDirectory(root)) {
            throw new UsageException("root " + root + " is not a directory; give the node's root with --root");
        }
        List<String> warnings = new ArrayList<>();
        TorcxConfig config = TorcxConfig.NONE;
        Optional<byte[]> cfg = read(root, TorcxPaths.CONFIG_FILE);
        if (cfg.isPresent()) {
            config = TorcxConfig.parse(cfg.get(), TorcxPaths.CONFIG_FILE);
            if (config.problem() != null) {
                warnings.add(config.problem());
                config = TorcxConfig.NONE;
            }
        }
        TorcxPaths paths = TorcxPaths.of(config);
        Optional<Path> osRelease = RootedPaths.resolveExisting(root, TorcxPaths.OS_RELEASE)
                .filter(Files::isRegularFile);
        String versionId = osRelease.isEmpty() ? null
                : OsReleaseFiles.read(osRelease.get()).get("VERSION_ID");
        versionId = versionId == null || versionId.isEmpty() ? null : versionId;
        if (versionId == null) {
            warnings.add("no VERSION_ID in " + TorcxPaths.OS_RELEASE + ": versioned stores are not searched");
        }
        ProfileCatalog catalog = ProfileCatalog.scan(root, paths.profileDirs());

        List<String> lowers = new ArrayList<>();
        for (String lower : List.of(VENDOR, OEM)) {
            String chosen = lower;
            if (lower.equals(VENDOR)) {
                String flagged = dockerFlagProfile(root, paths, warnings);
                if (flagged != null) {
                    if (catalog.has(flagged)) {
                        chosen = flagged;
                    } else {
                        warnings.add("vendor profile '" + flagged + "' (selected by " + paths.dockerFlag()
                                + ") does not exist; using the default");
                    }
                }
            }
            if (catalog.has(chosen)) {
                lowers.add(chosen);
            }
        }

        String upper = null;
        String upperSource = null;
        Path upperFile = null;
        String upperNodePath = null;
        if (request.profile() != null) {
            String p = request.profile();
            Path asFile = Path.of(p);
            if (p.endsWith(".json") && Files.isRegularFile(asFile)) {
                String fn = asFile.getFileName().toString();
                upper = fn.substring(0, fn.length() - ".json".length());
                upperFile = asFile;
                upperNodePath = asFile.toString();
            } else {
                String name = p.endsWith(".json") ? p.substring(0, p.length() - ".json".length()) : p;
                ProfileCatalog.Entry e = catalog.get(name).orElseThrow(() -> new UsageException("torcx profile '"
                        + p + "' is neither a .json file nor one of the node's profiles " + catalog.names()
                        + "; give a profile name or file"));
                upper = name;
                upperFile = e.file();
                upperNodePath = e.nodePath();
            }
            upperSource = "--profile";
        } else {
            Optional<byte[]> next = read(root, paths.nextProfile());
            if (next.isEmpty()) {
                warnings.add("no next profile: " + paths.nextProfile() + " does not exist");
            } else {
                String name = new String(next.get(), java.nio.charset.StandardCharsets.UTF_8).strip();
                if (name.endsWith(".json")) {
                    name = name.substring(0, name.length() - ".json".length());
                }
                if (name.isEmpty()) {
                    warnings.add("no next profile: " + paths.nextProfile() + " is empty");
                } else if (!catalog.has(name)) {
                    warnings.add("no next profile: profile \"" + name + "\" (from " + paths.nextProfile()
                            + ") not found");
                } else {
                    upper = name;
                    upperFile = catalog.get(name).orElseThrow().file();
                    upperNodePath = catalog.get(name).orElseThrow().nodePath();
                    upperSource = paths.nextProfile();
                }
            }
        }

        List<ProfileResolution.ProfileSource> sources = new ArrayList<>();
        List<List<ProfileImage>> lists = new ArrayList<>();
        for (String lower : lowers) {
            ProfileCatalog.Entry e = catalog.get(lower).orElseThrow();
            List<ProfileImage> images = readProfile(e.file(), e.nodePath());
            sources.add(new ProfileResolution.ProfileSource(lower, e.nodePath(), images));
            lists.add(images);
        }
        if (upper != null) {
            List<ProfileImage> images = readProfile(upperFile, upperNodePath);
            sources.add(new ProfileResolution.ProfileSource(upper, upperNodePath, images));
            lists.add(images);
        }
        List<ProfileImage> merged = ProfileMerge.mergeAll(lists);

        List<TorcxStore.Location> locations = new ArrayList<>();
        List<String> storePaths = new ArrayList<>();
        for (String s : paths.storePaths(versionId, config.storePaths())) {
            storePaths.add(s);
            try {
                locations.add(new TorcxStore.Location(s, RootedPaths.resolve(root, s), true));
            } catch (IOException e) {
                warnings.add("store " + s + " cannot be resolved (" + e.getMessage() + "); skipped");
            }
        }
        for (Path extra : request.extraStores()) {
            if (!Files.isDirectory(extra)) {
                throw new UsageException("store directory " + extra + " does not exist; give an existing "
                        + "directory to --store");
            }
            storePaths.add(extra.toString());
            locations.add(new TorcxStore.Location(extra.toString(), extra, false));
        }
        TorcxStore store = TorcxStore.scan(root, locations);
        List<ResolvedImage> resolved = new ArrayList<>();
        for (ProfileImage i : merged) {
            Optional<StoreArchive> a = store.find(i.name(), i.reference());
            resolved.add(a.map(x -> new ResolvedImage(i, x, null)).orElseGet(() -> new ResolvedImage(i, null,
                    "image " + i.display() + " is in no store (searched " + String.join(", ", storePaths) + ")")));
        }
        Map<String, String> seal = new LinkedHashMap<>();
        seal.put("TORCX_LOWER_PROFILES", String.join(":", lowers));
        seal.put("TORCX_UPPER_PROFILE", upper == null ? "" : upper);
        seal.put("TORCX_PROFILE_PATH", "/run/torcx/profile.json");
        seal.put("TORCX_BINDIR", "/run/torcx/bin");
        seal.put("TORCX_UNPACKDIR", "/run/torcx/unpack");
        return new ProfileResolution(versionId, lowers, upper, upperSource, sources, merged, storePaths, resolved,
                seal, warnings, store.notes());
    }

    private static String dockerFlagProfile(Path root, TorcxPaths paths, List<String> warnings) {
        Optional<byte[]> flag = read(root, paths.dockerFlag());
        if (flag.isEmpty()) {
            return null;
        }
        String v = new String(flag.get(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (v.equals("yes") || v.equals("no")) {
            return "docker-1.12-" + v;
        }
        warnings.add("unknown value \"" + v + "\" in " + paths.dockerFlag() + "; ignored (as torcx did)");
        return null;
    }

    private static List<ProfileImage> readProfile(Path file, String where) throws SysextctlException {
        try {
            return ProfileManifest.parse(Files.readAllBytes(file), where).images();
        } catch (IOException e) {
            throw new OperationFailedException("cannot read torcx profile " + where + ": " + e.getMessage()
                    + "; check its permissions");
        } catch (RefusedException e) {
            throw e;
        }
    }

    /** A regular file of the node, read inside the root; empty when it does not exist. */
    static Optional<byte[]> read(Path root, String nodePath) {
        Optional<Path> p = RootedPaths.resolveExisting(root, nodePath);
        if (p.isEmpty() || !Files.isRegularFile(p.get())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(p.get()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
