# Hook Gateway container image. Build from the repository's root:
#   docker build -t hook-gateway .
# The builder compiles the shaded jar with Maven (tests are run by CI, not here); the runtime is a JRE, the jar, the
# default configuration and the handlers, run as an unprivileged user. See README.md, "Container image".

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, in a layer of their own: packaging an empty source tree downloads every plugin and library the
# real build uses, and this layer is reused until pom.xml changes, so editing a source does not download Maven Central
# again. maven.test.skip: the tests (and their libraries) are CI's job; the image needs the jar only.
COPY pom.xml ./
RUN mvn -B --no-transfer-progress -q -Dmaven.test.skip=true package && rm -rf target
COPY src/main src/main
COPY gateway/gateway.yaml gateway/
# Offline: the layer above must have everything; a download here would mean it no longer does.
RUN mvn -B --no-transfer-progress -o -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre
# A fixed UID and GID, so files mounted from the host can be given to it (chown 10001). No login, no home of its own
# but the state directory, where command hooks may keep files (as the working-directory of a hook).
RUN groupadd --system --gid 10001 hook-gateway \
    && useradd --system --uid 10001 --gid hook-gateway --home-dir /var/lib/hook-gateway --no-create-home \
       --shell /usr/sbin/nologin hook-gateway \
    && mkdir -p /var/lib/hook-gateway \
    && chown hook-gateway:hook-gateway /var/lib/hook-gateway
# Owned by root and read-only to the gateway: it cannot change its own program, configuration or handlers.
COPY --from=build /build/target/hook-gateway.jar /opt/hook-gateway/hook-gateway.jar
COPY gateway/gateway.yaml /etc/hook-gateway/gateway.yaml
# The low-memory profile (README.md, "Low-memory profile"): -e JAVA_OPTS=@/etc/hook-gateway/small.jvm
# -e HOOK_GATEWAY_CONFIG=/etc/hook-gateway/small.yaml
COPY gateway/small.yaml gateway/small.jvm /etc/hook-gateway/
COPY handlers/ /opt/hook-gateway/handlers/
# A class data sharing archive of a start and a few requests, made by this image's JVM for this jar: the JVM's work
# until the first answer halves (README.md, "Start-up time"). Built here, as root, read-only to the gateway.
COPY packaging/cds-archive.sh /opt/hook-gateway/
RUN /opt/hook-gateway/cds-archive.sh /opt/hook-gateway/hook-gateway.jar /opt/hook-gateway/hook-gateway.jsa \
    -XX:+UseSerialGC -Xmx64m

ENV HOOK_GATEWAY_CONFIG=/etc/hook-gateway/gateway.yaml \
    JAVA_OPTS=""
USER 10001:10001
WORKDIR /var/lib/hook-gateway
# The hook port and the metrics port (/metrics, /healthz, /readyz) of the default configuration.
EXPOSE 8080 8081

# The JRE asks the JVM itself, as the image has no curl: 0 when /healthz on the configured metrics port answers 200.
# A small heap, no JIT beyond C1 and no perf data file: it starts, asks and exits. Not JAVA_OPTS: a flag there that
# opens a port (JMX, a debugger) would clash with the gateway's.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["java", "-Xmx48m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", \
         "-XX:SharedArchiveFile=/opt/hook-gateway/hook-gateway.jsa", \
         "-jar", "/opt/hook-gateway/hook-gateway.jar", "--healthcheck"]

# exec: the JVM is PID 1 and gets SIGTERM itself, so `docker stop` drains requests in flight (server.drain-timeout,
# 10 s by default; docker stop waits 10 s before SIGKILL, so give it --time 15 or more when you raise it).
# The heap takes 75% of the container's memory limit; JAVA_OPTS comes after, so -Xmx64m or any other flag wins
# (-XX:SharedArchiveFile= too; -Xshare:off turns the archive off).
# Arguments to `docker run IMAGE ...` are the gateway's (--check, --version, --port, ...).
ENTRYPOINT ["/bin/sh", "-c", "exec java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/opt/hook-gateway/hook-gateway.jsa $JAVA_OPTS -jar /opt/hook-gateway/hook-gateway.jar \"$@\"", "hook-gateway"]

# Last, so a new revision or date does not rebuild the layers above.
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="Hook Gateway" \
      org.opencontainers.image.description="A small, fast HTTP gateway on Netty that routes webhooks by path to configured hook processors." \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.created="$CREATED" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"
