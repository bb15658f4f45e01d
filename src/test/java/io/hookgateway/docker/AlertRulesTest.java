package io.hookgateway.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgateway.testing.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker/prometheus.yml and docker/alerts.yml as the real {@code promtool} (Debian package {@code prometheus}) judges
 * them, and the rules' unit tests in docker/alerts-test.yml, which must cover every rule both firing and not.
 */
class AlertRulesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void promtoolAcceptsTheScrapeConfigAndTheRulesItLoads() throws Exception {
        Tool.Result result = promtool().run(ROOT, "check", "config", DockerFiles.PROMETHEUS.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).as(result.toString())
                .contains("SUCCESS: 1 rule files found")
                .contains("SUCCESS: " + DockerFiles.alertExpressions().size() + " rules found");
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        Tool.Result result = promtool().run(ROOT, "check", "rules", DockerFiles.ALERTS.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        Tool.Result result = promtool().run(ROOT, "test", "rules", DockerFiles.ALERTS_TEST.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).as(result.toString()).contains("SUCCESS");
    }

    @Test
    void everyAlertRuleIsTestedFiringAndNotFiring() throws Exception {
        JsonNode unitTests = DockerFiles.yaml(DockerFiles.ALERTS_TEST);
        Set<String> fired = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : unitTests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? quiet : fired).add(alert);
                for (JsonNode expected : check.path("exp_alerts")) {
                    assertThat(expected.path("exp_annotations").path("summary").asText())
                            .as("the summary %s is expected to render to", alert).isNotBlank();
                }
            }
        }
        List<String> untested = new ArrayList<>();
        for (String alert : DockerFiles.alertExpressions().keySet()) {
            if (!fired.contains(alert) || !quiet.contains(alert)) {
                untested.add(alert + (fired.contains(alert) ? "" : " (never fires)")
                        + (quiet.contains(alert) ? "" : " (never stays quiet)"));
            }
        }

        assertThat(DockerFiles.alertExpressions()).isNotEmpty();
        assertThat(untested).as("alert rules that docker/alerts-test.yml does not test both ways").isEmpty();
    }

    @Test
    void everyAlertHasASeverityASummaryADescriptionAndSlack() throws Exception {
        for (JsonNode group : DockerFiles.yaml(DockerFiles.ALERTS).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(rule.path("labels").path("severity").asText()).as(alert + " severity")
                        .isIn("warning", "critical");
                for (String annotation : List.of("summary", "description")) {
                    assertThat(rule.path("annotations").path(annotation).asText()).as(alert + " " + annotation)
                            .isNotBlank();
                }
                assertThat(rule.path("for").asText()).as(alert + " for:").matches("[1-9][0-9]*[smh]");
            }
        }
        assertThat(DockerFiles.alertExpressions()).containsKeys("HookGatewayDown",
                "HookGatewayHighErrorRatio", "HookGatewayAuthFailureBurst", "HookGatewayHighLatency",
                "HookGatewayProcessorFailures", "HookGatewayMqttDisconnected", "HookGatewayHeapPressure",
                "HookGatewayConfigReloadRefused");
    }

    private static Tool promtool() {
        return Tool.require("promtool", "prometheus");
    }
}
