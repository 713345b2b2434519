package dev.sysextctl.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A static file server on 127.0.0.1 (an ephemeral port) standing in for a download site: serves the files of
 * one directory, 404 for anything else, and records the paths requested.
 */
public final class LocalHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public LocalHttpServer(Path root, String prefix) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(path);
            byte[] body = null;
            if (path.startsWith(prefix + "/")) {
                String name = URLDecoder.decode(path.substring(prefix.length() + 1), StandardCharsets.UTF_8);
                Path file = root.resolve(name).normalize();
                if (!name.contains("/") && file.startsWith(root) && Files.isRegularFile(file)) {
                    body = Files.readAllBytes(file);
                }
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (!"HEAD".equals(exchange.getRequestMethod())) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    /** The base URL: {@code http://127.0.0.1:PORT/PREFIX}. */
    public String url(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
