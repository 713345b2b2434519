package dev.sysextctl.builder.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.lint.Findings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFactoryTest {
    @TempDir
    Path tmp;

    @Test
    void directoriesAndArchivesAreOpened() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tree"));
        Path tgz = Fixtures.write(tmp.resolve("a.tgz"), Fixtures.compress(Fixtures.tar(List.of(
                Fixtures.Member.file("usr/x", "x"))), ArchiveCompression.GZIP));
        SourceFactory f = new SourceFactory(List.of());
        assertThat(f.open(dir)).isInstanceOf(DirectorySource.class);
        assertThat(f.open(tgz)).isInstanceOf(TarSource.class);
        assertThatThrownBy(() -> f.open(tmp.resolve("nope"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void torcxArchivesAreRefusedUntilAProviderHandlesThem() throws Exception {
        Path torcx = Fixtures.write(tmp.resolve("docker:20.10.torcx.tgz"), Fixtures.compress(Fixtures.tar(List.of(
                Fixtures.Member.file("bin/docker", "x"))), ArchiveCompression.GZIP));
        assertThatThrownBy(() -> new SourceFactory(List.of()).open(torcx)).isInstanceOf(UsageException.class)
                .hasMessageContaining("torcx image archive").hasMessageContaining("convert torcx-image");
        assertThat(SourceFactory.isTorcxArchive(Path.of("x.torcx.squashfs"))).isTrue();
        assertThat(SourceFactory.isTorcxArchive(Path.of("x.tar.gz"))).isFalse();

        ImageSource converted = new ImageSource() {
            @Override
            public String describe() {
                return "converted";
            }

            @Override
            public void scan(EntryVisitor visitor, Findings findings) {
            }
        };
        ImageSourceProvider provider = new ImageSourceProvider() {
            @Override
            public String kind() {
                return "torcx image archive";
            }

            @Override
            public boolean handles(Path path) {
                return SourceFactory.isTorcxArchive(path);
            }

            @Override
            public ImageSource open(Path path) {
                return converted;
            }

            @Override
            public Optional<String> defaultName(Path path) {
                return Optional.of("docker");
            }
        };
        SourceFactory withTorcx = new SourceFactory(List.of(provider));
        assertThat(withTorcx.open(torcx)).isSameAs(converted);
        assertThat(withTorcx.providerFor(torcx).flatMap(p -> p.defaultName(torcx))).contains("docker");
        assertThat(SourceFactory.standard().providerFor(torcx)).isEmpty(); // the standard ones (container images) do not take it
    }

    /**
     * A build of a directory never looks up the providers registered on the class path (the look-up reads the jar's
     * whole index before mksquashfs can start, issue 17): a directory is read as a tree whatever its name, and the
     * registered providers are made at the first source that is not a directory.
     */
    @Test
    void registeredProvidersAreLookedUpForFilesOnly() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tree.claimed"));
        RegisteredTestProvider.CREATED.set(0);
        SourceFactory f = SourceFactory.standard();
        assertThat(f.providerFor(dir)).isEmpty();
        assertThat(f.open(dir)).isInstanceOf(DirectorySource.class);
        assertThat(RegisteredTestProvider.CREATED).hasValue(0);

        Path file = Files.writeString(tmp.resolve("x.claimed"), "x");
        assertThat(f.providerFor(file)).containsInstanceOf(RegisteredTestProvider.class);
        assertThat(f.open(file).describe()).isEqualTo("claimed " + file);
        assertThat(f.providers()).hasSize(2);
        assertThat(RegisteredTestProvider.CREATED).hasValue(1);
    }
}
