#!/usr/bin/env bash
# Micro-benchmarks (JMH 1.37, src/jmh/java): compiled with the tests under the `jmh` Maven profile, run from the test
# classpath. Arguments go to JMH:
#
#   src/bench/jmh.sh                                   # every benchmark
#   src/bench/jmh.sh DecodeAggregate -prof gc          # decode + aggregate, with bytes per operation
#   src/bench/jmh.sh Routing -p hooks=1,10000
#   src/bench/jmh.sh "Signature|Template" -prof gc     # auth: github over 1 KiB and 64 KiB; a JSON template
#   src/bench/jmh.sh -l                                # list them
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -Pjmh test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/jmh.classpath >&2
exec java -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "$@"
