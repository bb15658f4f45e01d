package io.hookgateway.testing;

import io.hookgateway.GatewayServer;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestGateway} that JUnit starts and drains around a test class or each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayExtension gateway = new GatewayExtension(CONFIG);   // one gateway for the class
 *
 * @RegisterExtension
 * final GatewayExtension gateway = new GatewayExtension(CONFIG);          // a fresh gateway for every test
 * }</pre>
 *
 * A static field starts the gateway before all tests and drains it after them; an instance field (where JUnit calls
 * only the per-test callbacks) starts one before each test and drains it after. Either way the test processors are
 * {@linkplain TestProcessors#reset() reset} before and after every test, so call counts start at zero and no gate left
 * closed by one test blocks the next, or the drain. The test's own {@code @AfterEach} methods run before the drain.
 */
public final class GatewayExtension
        implements RunningGateway, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Callable<TestGateway> starter;
    private TestGateway gateway;
    private boolean perTest;

    /** A gateway started from configuration text (see {@link TestGateway#start(String)}). */
    public GatewayExtension(String yaml) {
        this(() -> TestGateway.start(yaml));
    }

    /** A gateway started by {@code starter}, called when the gateway is due (after {@code @TempDir} fields are set). */
    public GatewayExtension(Callable<TestGateway> starter) {
        this.starter = starter;
    }

    /** A gateway with the embedded default configuration. */
    public static GatewayExtension defaults() {
        return new GatewayExtension(TestGateway::startDefault);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        gateway = starter.call();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (gateway == null) {
            perTest = true;
            gateway = starter.call();
        }
        TestProcessors.reset();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestProcessors.reset();
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void stop() {
        if (gateway != null) {
            TestGateway running = gateway;
            gateway = null;
            running.close();
        }
    }

    /** The gateway itself; fails when it is not running (used outside a test, or it failed to start). */
    public TestGateway gateway() {
        if (gateway == null) {
            throw new IllegalStateException("the gateway is not running: use it only inside tests");
        }
        return gateway;
    }

    @Override
    public GatewayServer server() {
        return gateway().server();
    }
}
