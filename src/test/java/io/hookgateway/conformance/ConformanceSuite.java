package io.hookgateway.conformance;

import io.hookgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every conformance table shares: one gateway per class, started with {@link Conformance#start} before the first
 * case and stopped after the last, and the test that runs each case through {@link Conformance#verify}.
 *
 * <p>A subclass holds only its table, as {@code static Stream<ConformanceCase> cases()} (the {@code @MethodSource} is
 * looked up in the concrete class). One that needs other server settings passes them to the constructor, as extra
 * lines of the {@code server:} section.
 *
 * <p>One instance per class, so that the gateway is the class's own and not a static shared by every subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConformanceSuite {

    private final String[] serverKeys;
    private TestGateway gateway;

    /** {@code serverKeys}: extra lines of the gateway's {@code server:} section, none for the defaults. */
    ConformanceSuite(String... serverKeys) {
        this.serverKeys = serverKeys.clone();
    }

    @BeforeAll
    void startGateway() throws Exception {
        gateway = Conformance.start(serverKeys);
    }

    @AfterAll
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(ConformanceCase c) throws Exception {
        Conformance.verify(gateway, c);
    }
}
