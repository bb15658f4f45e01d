package io.hookgateway.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml read as Docker Compose would read it, without a Docker engine: every file and directory it
 * mounts exists in the repository, the services find each other by the names and ports the other files use, the ports
 * are the gateway's defaults, and Grafana's provisioning finds the dashboard and the data source the dashboard names.
 */
class ComposeFilesTest {

    private static final String CONFIG_DIRECTORY = "/etc/hook-gateway";

    private static JsonNode compose;
    private static GatewayConfig defaults;

    @BeforeAll
    static void read() throws Exception {
        compose = DockerFiles.yaml(DockerFiles.COMPOSE);
        defaults = new ConfigLoader(ProcessorRegistry.load(), name -> null).load(Path.of("gateway/gateway.yaml"));
    }

    @Test
    void hasTheGatewayPrometheusGrafanaAndMosquitto() {
        assertThat(names(compose.path("services"))).containsExactlyInAnyOrder("gateway", "prometheus", "grafana",
                "mosquitto");
        JsonNode gateway = service("gateway");
        assertThat(gateway.path("build").path("context").asText()).isEqualTo("..");
        assertThat(DockerFiles.DIRECTORY.resolve("..").resolve(gateway.path("build").path("dockerfile").asText())
                .normalize().toString()).isEqualTo("Dockerfile");
        assertThat(gateway.path("image").asText()).isEqualTo("hook-gateway:local");
    }

    /**
     * Debian's {@code docker-compose} (Compose v1, which needs no engine for {@code config}) checks the file against
     * the Compose schema: an unknown or misspelt key, a wrong type, a bad depends_on condition. It predates the
     * top-level {@code name:} of the Compose specification, so that one line is left out of what it reads.
     */
    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Tool compose = Tool.require("docker-compose", "docker-compose");
        String file = Files.readString(DockerFiles.COMPOSE);
        assertThat(file).containsOnlyOnce("\nname: hook-gateway\n");

        Tool.Result result = compose.run(DockerFiles.DIRECTORY, file.replace("\nname: hook-gateway\n", "\n"),
                List.of("--file", "-", "config", "--quiet"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void everyHostPathItMountsExistsAndEveryNamedVolumeIsDeclared() {
        Set<String> declared = names(compose.path("volumes"));
        List<String> missing = new ArrayList<>();
        for (String name : names(compose.path("services"))) {
            for (Map.Entry<String, String> mount : mounts(service(name)).entrySet()) {
                String source = mount.getValue();
                boolean exists = isHostPath(source) ? Files.exists(hostPath(source)) : declared.contains(source);
                if (!exists) {
                    missing.add(name + ": " + source + " -> " + mount.getKey());
                }
            }
        }
        assertThat(missing).as("mounts whose source is neither in the repository nor a declared volume").isEmpty();
    }

    @Test
    void mountsTheGatewaysConfigurationAndHandlersAsDirectoriesReadOnly() {
        JsonNode gateway = service("gateway");
        Map<String, String> mounts = mounts(gateway);

        assertThat(mounts).containsEntry(CONFIG_DIRECTORY, "../gateway")
                .containsEntry("/opt/hook-gateway/handlers", "../handlers");
        assertThat(hostPath(mounts.get(CONFIG_DIRECTORY))).isDirectory();
        assertThat(hostPath(mounts.get(CONFIG_DIRECTORY)).resolve("gateway.yaml")).isRegularFile();
        assertThat(gateway.path("environment").path("HOOK_GATEWAY_CONFIG").asText())
                .isEqualTo(CONFIG_DIRECTORY + "/gateway.yaml");
        for (JsonNode volume : gateway.path("volumes")) {
            assertThat(volume.asText()).as("the gateway may only read its mounts").endsWith(":ro");
        }
    }

    @Test
    void publishesTheGatewaysDefaultPortsTheMetricsPortOnlyOnThisMachine() {
        Map<Integer, String> published = publishedPorts(service("gateway"));
        int hookPort = defaults.server().port();
        int metricsPort = defaults.metrics().port();

        assertThat(hookPort).isEqualTo(8080);
        assertThat(metricsPort).isEqualTo(8081);
        assertThat(published).containsOnlyKeys(hookPort, metricsPort);
        assertThat(published.get(metricsPort)).startsWith("127.0.0.1:");
    }

    @Test
    void prometheusLoadsTheScrapeConfigAndTheAlertRulesItNames() throws IOException {
        JsonNode prometheus = service("prometheus");
        Map<String, String> mounts = mounts(prometheus);
        String configFile = flag(prometheus, "--config.file");

        assertThat(mounts).containsEntry(configFile, "./prometheus.yml");
        Path configDirectory = Path.of(configFile).getParent();
        JsonNode config = DockerFiles.yaml(DockerFiles.PROMETHEUS);
        assertThat(config.path("rule_files")).isNotEmpty();
        for (JsonNode ruleFile : config.path("rule_files")) {
            String inContainer = configDirectory.resolve(ruleFile.asText()).toString();
            assertThat(mounts).as("rule file %s", inContainer).containsKey(inContainer);
            assertThat(hostPath(mounts.get(inContainer))).isEqualTo(DockerFiles.ALERTS.normalize());
        }
    }

    @Test
    void prometheusScrapesTheGatewaysMetricsPortByItsServiceName() throws IOException {
        JsonNode job = scrapeJob(DockerFiles.yaml(DockerFiles.PROMETHEUS));

        assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        assertThat(job.path("static_configs").get(0).path("targets").get(0).asText())
                .isEqualTo("gateway:" + defaults.metrics().port());
        assertThat(names(compose.path("services"))).contains("gateway");
    }

    @Test
    void grafanaProvisionsThePrometheusDataSourceTheDashboardNames() throws IOException {
        JsonNode grafana = service("grafana");
        Map<String, String> mounts = mounts(grafana);
        assertThat(hostPath(mounts.get("/etc/grafana/provisioning")))
                .isEqualTo(DockerFiles.DIRECTORY.resolve("grafana/provisioning"));

        List<JsonNode> datasources = new ArrayList<>();
        for (Path file : yamlFiles(DockerFiles.DATASOURCES)) {
            DockerFiles.yaml(file).path("datasources").forEach(datasources::add);
        }
        assertThat(datasources).hasSize(1);
        JsonNode datasource = datasources.get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(publishedPorts(service("prometheus"))).containsKey(9090);

        String uid = datasource.path("uid").asText();
        JsonNode dashboard = DockerFiles.json(DockerFiles.DASHBOARD);
        Set<String> named = new HashSet<>();
        for (JsonNode panel : DockerFiles.panels(dashboard)) {
            if (!panel.path("type").asText().equals("row")) {
                named.add(panel.path("datasource").path("uid").asText());
                panel.path("targets").forEach(target -> named.add(target.path("datasource").path("uid").asText()));
            }
        }
        dashboard.path("templating").path("list")
                .forEach(variable -> named.add(variable.path("datasource").path("uid").asText()));
        assertThat(named).as("data sources the dashboard's panels, queries and variables name").containsOnly(uid);
    }

    @Test
    void grafanaLoadsTheDashboardFromTheDirectoryItsProviderReads() throws IOException {
        Map<String, String> mounts = mounts(service("grafana"));
        List<Path> providers = yamlFiles(DockerFiles.DIRECTORY.resolve("grafana/provisioning/dashboards"));
        assertThat(providers).hasSize(1);
        JsonNode provider = DockerFiles.yaml(providers.get(0)).path("providers").get(0);
        String directory = provider.path("options").path("path").asText();

        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(mounts).containsKey(directory);
        assertThat(hostPath(mounts.get(directory)).resolve(DockerFiles.DASHBOARD.getFileName())).isRegularFile();
    }

    @Test
    void theDashboardIsWellFormed() throws IOException {
        JsonNode dashboard = DockerFiles.json(DockerFiles.DASHBOARD);
        List<JsonNode> panels = DockerFiles.panels(dashboard);
        Set<Integer> ids = new HashSet<>();
        Set<List<Integer>> cellsTaken = new HashSet<>();

        assertThat(dashboard.path("uid").asText()).isEqualTo("hook-gateway");
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            assertThat(title).isNotBlank();
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets")).as(title).isNotEmpty();
            }
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt();
            int y = grid.path("y").asInt();
            assertThat(x + grid.path("w").asInt()).as("right edge of " + title + " (24 columns)").isBetween(1, 24);
            for (int column = x; column < x + grid.path("w").asInt(); column++) {
                for (int line = y; line < y + grid.path("h").asInt(); line++) {
                    assertThat(cellsTaken.add(List.of(column, line))).as(title + " overlaps another panel").isTrue();
                }
            }
        }
    }

    @Test
    void theGatewayReachesMosquittoByItsServiceNameOnItsListenerPort() throws IOException {
        JsonNode mosquitto = service("mosquitto");
        Path conf = hostPath(mounts(mosquitto).get("/mosquitto/config")).resolve("mosquitto.conf");
        int listener = Files.readAllLines(conf).stream().filter(line -> line.startsWith("listener "))
                .map(line -> Integer.parseInt(line.split("\\s+")[1])).findFirst().orElseThrow();

        assertThat(service("gateway").path("environment").path("MQTT_HOST").asText()).isEqualTo("mosquitto");
        assertThat(listener).isEqualTo(1883);
        assertThat(publishedPorts(mosquitto)).containsKey(listener);
    }

    @Test
    void theReadmesContainerQuickStartNamesThisComposeFile() throws IOException {
        assertThat(Files.readString(Path.of("README.md")))
                .contains("docker compose -f " + DockerFiles.COMPOSE + " up");
    }

    static JsonNode scrapeJob(JsonNode prometheusConfig) {
        for (JsonNode job : prometheusConfig.path("scrape_configs")) {
            if (job.path("job_name").asText().equals(DockerFiles.JOB)) {
                return job;
            }
        }
        throw new AssertionError("no scrape job " + DockerFiles.JOB + " in " + DockerFiles.PROMETHEUS);
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        assertThat(service.isObject()).as("service " + name + " in " + DockerFiles.COMPOSE).isTrue();
        return service;
    }

    /** A service's mounts in the short syntax, by path in the container, to their source. */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            assertThat(parts.length).as("volume %s", volume).isBetween(2, 3);
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }

    /** A service's published ports: the container's port to the whole short-syntax entry. */
    private static Map<Integer, String> publishedPorts(JsonNode service) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (JsonNode port : service.path("ports")) {
            String entry = port.asText();
            String container = entry.substring(entry.lastIndexOf(':') + 1).replace("/tcp", "");
            ports.put(Integer.parseInt(container), entry);
        }
        return ports;
    }

    private static String flag(JsonNode service, String name) {
        for (JsonNode argument : service.path("command")) {
            if (argument.asText().startsWith(name + "=")) {
                return argument.asText().substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in the command of " + service);
    }

    private static boolean isHostPath(String source) {
        return source.startsWith(".") || source.startsWith("/");
    }

    /** A mount's source as a path of the repository: compose resolves it from the compose file's directory. */
    private static Path hostPath(String source) {
        return DockerFiles.DIRECTORY.resolve(source).normalize();
    }

    private static List<Path> yamlFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml"))
                    .sorted().toList();
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
