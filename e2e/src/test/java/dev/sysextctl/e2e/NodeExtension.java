package dev.sysextctl.e2e;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives test methods booted nodes: a {@link Node} parameter is a fresh node of the test bed, booted before the
 * test; a {@link Nodes} parameter makes nodes with settings of the test's own (files present at the first boot).
 * Every node is removed after its test. When a test fails, the diagnostics of its nodes (failed units, journal)
 * are attached to the failure.
 *
 * <p>Put {@code @Requires(docker = true, ...)} on the class too: without a Docker engine the tests skip, or fail
 * under {@code CI=true}, before any node is made.
 */
public final class NodeExtension implements ParameterResolver, AfterEachCallback, TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NodeExtension.class);

    /** The nodes of one test. */
    public static final class Nodes {
        private final String testName;
        private final List<Node> nodes = new ArrayList<>();

        private Nodes(String testName) {
            this.testName = testName;
        }

        /** Settings for a node, removed after the test; finish with {@link Node.Builder#boot()}. */
        public Node.Builder create() {
            return new Node.Builder(testName + "#" + (nodes.size() + 1), this::track);
        }

        /** A node with the standard settings, booted. */
        public Node boot() {
            return create().boot();
        }

        private void track(Node node) {
            nodes.add(node);
        }

        List<Node> all() {
            return List.copyOf(nodes);
        }

        void closeAll() {
            RuntimeException first = null;
            for (Node n : nodes) {
                try {
                    n.close();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            nodes.clear();
            if (first != null) {
                throw first;
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Node.class || type == Nodes.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Nodes nodes = nodes(context);
        return parameter.getParameter().getType() == Nodes.class ? nodes : nodes.boot();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        for (Node n : nodes(context).all()) {
            failure.addSuppressed(new NodeDiagnostics(n.diagnostics()));
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        nodes(context).closeAll();
    }

    private static Nodes nodes(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "."
                + context.getTestMethod().map(m -> m.getName()).orElse("?");
        return context.getStore(NS).getOrComputeIfAbsent(Nodes.class, k -> new Nodes(name), Nodes.class);
    }

    /** A node's state at the time a test failed, attached to the failure. */
    static final class NodeDiagnostics extends AssertionError {
        NodeDiagnostics(String text) {
            super(text, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
