package io.hookgateway.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of the repository's {@code docker/} directory as the tests read them: the compose file, Prometheus' scrape
 * config and alert rules, and the Grafana dashboard, with the PromQL each of the last two holds made ready to send to a
 * Prometheus.
 */
final class DockerFiles {

    /** The repository's docker/ directory; tests run in the repository's root (Maven's basedir). */
    static final Path DIRECTORY = Path.of("docker");
    static final Path COMPOSE = DIRECTORY.resolve("compose.yaml");
    static final Path PROMETHEUS = DIRECTORY.resolve("prometheus.yml");
    static final Path ALERTS = DIRECTORY.resolve("alerts.yml");
    static final Path ALERTS_TEST = DIRECTORY.resolve("alerts-test.yml");
    static final Path DASHBOARD = DIRECTORY.resolve("grafana/dashboards/hook-gateway.json");
    static final Path DATASOURCES = DIRECTORY.resolve("grafana/provisioning/datasources");

    /** The scrape job of docker/prometheus.yml, and the {@code job} label its series carry. */
    static final String JOB = "hook-gateway";

    /**
     * What the Grafana placeholders of a panel's query stand for when the tests evaluate it: a rate window with
     * enough one-second scrapes in it, and every hook for the {@code $hook} variable (its {@code allValue}).
     */
    private static final Map<String, String> GRAFANA_PLACEHOLDERS = Map.of(
            "$__rate_interval", "1m",
            "$__interval", "15s",
            "$__range", "5m");

    /**
     * An alert's expression is written {@code <query> <comparison> <number>}; the query alone must return data, the
     * comparison may legitimately filter everything out while all is well.
     */
    private static final Pattern THRESHOLD = Pattern.compile(
            "(?s)^(.*\\S)\\s*(==|!=|>=|<=|>|<)\\s*(-?[0-9.]+(?:[eE][+-]?[0-9]+)?)\\s*$");

    /** Grafana's {@code label_values(metric, label)}, a variable's query, which is not PromQL. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");

    /** The metric names an expression reads: the gateway's, the JVM's and Netty's, and Prometheus' own {@code up}. */
    private static final Pattern METRIC_NAME = Pattern.compile(
            "\\b(?:(?:hook_gateway|jvm|process|system|netty)_[a-z0-9_]+|up(?=\\s*\\{))\\b");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerFiles() {
    }

    static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static String toYaml(JsonNode tree) throws IOException {
        return YAML.writeValueAsString(tree);
    }

    /** A PromQL query to evaluate, and where it comes from (a panel's title and refId, or an alert's name). */
    record Query(String source, String promql) {

        /** The metric names it reads. */
        List<String> metricNames() {
            List<String> names = new ArrayList<>();
            Matcher matcher = METRIC_NAME.matcher(promql);
            while (matcher.find()) {
                if (!names.contains(matcher.group())) {
                    names.add(matcher.group());
                }
            }
            return names;
        }

        @Override
        public String toString() {
            return source + ": " + promql;
        }
    }

    /** Every alert rule of alerts.yml by name, with its expression as written. */
    static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (JsonNode group : yaml(ALERTS).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.put(rule.path("alert").asText(), rule.path("expr").asText().strip());
                }
            }
        }
        return alerts;
    }

    /**
     * The query of each alert: its expression without the final comparison with a number ({@code up == 0} becomes
     * {@code up}), which is what must return data while the gateway runs. Fails for an expression not of that form.
     */
    static List<Query> alertQueries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Map.Entry<String, String> alert : alertExpressions().entrySet()) {
            Matcher matcher = THRESHOLD.matcher(alert.getValue());
            if (!matcher.matches()) {
                throw new AssertionError("alert " + alert.getKey() + " in " + ALERTS + " is not written "
                        + "'<query> <comparison> <number>', so the tests cannot check its query: " + alert.getValue());
            }
            queries.add(new Query("alert " + alert.getKey(), matcher.group(1)));
        }
        return queries;
    }

    /**
     * Every query of the dashboard (each panel's targets, in rows too, and each variable's query as the PromQL it
     * stands for), with Grafana's placeholders and variables replaced.
     */
    static List<Query> dashboardQueries() throws IOException {
        JsonNode dashboard = json(DASHBOARD);
        Map<String, String> substitutions = new LinkedHashMap<>(GRAFANA_PLACEHOLDERS);
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String name = variable.path("name").asText();
            substitutions.put("${" + name + "}", variable.path("allValue").asText(".*"));
            substitutions.put("$" + name, variable.path("allValue").asText(".*"));
            String query = variable.path("query").path("query").asText(variable.path("query").asText());
            Matcher labelValues = LABEL_VALUES.matcher(query.strip());
            String promql = labelValues.matches()
                    ? "count by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")"
                    : query;
            queries.add(new Query("variable $" + name, promql));
        }
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String promql = target.path("expr").asText();
                // Longest first, so $__rate_interval is not taken for $__range or a variable named like a prefix.
                for (String placeholder : substitutions.keySet().stream()
                        .sorted((a, b) -> b.length() - a.length()).toList()) {
                    promql = promql.replace(placeholder, substitutions.get(placeholder));
                }
                queries.add(new Query("panel \"" + panel.path("title").asText() + "\" "
                        + target.path("refId").asText(), promql));
            }
        }
        return queries;
    }

    /** The dashboard's panels, those inside rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }
}
