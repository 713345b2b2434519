package dev.sysextctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs sysextctl in-process with captured stdout and stderr (picocli {@code execute}). */
final class Cli {
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\n"));
        }

        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static {
        // The build points java.io.tmpdir at target/tmp without creating it; zstd-jni unpacks its library there.
        try {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Cli() {
    }

    static Run run(String... args) {
        CommandLine cl = SysextctlCommand.newCommandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
