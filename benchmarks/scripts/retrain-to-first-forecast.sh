#!/usr/bin/env bash
# Time from "retrain started" to "first forecast by the new version" on the one-machine setup (BENCHMARKS.md):
# an in-process broker, the job with a model-update topic, a producer replaying the example series at 1000x,
# then one `ssm-stream retrain` round on the series (MINUTES of training, default 1) that stores and publishes.
# Run from the repository root after `mvn -B -ntp -DskipTests package`. PORT: the broker's port (default 19531).
set -u
cd "$(dirname "$0")/../.."
port=${PORT:-19531}
work=$(mktemp -d)
bin/ssm-stream kafka --port "$port" --create-topics in,out,dlq --create-compacted-topics updates > "$work/kafka.log" 2>&1 &
kafka=$!
sleep 15
bin/ssm-stream run --bootstrap-servers "localhost:$port" --input-topic in --output-topic out --dlq-topic dlq \
  --model examples/model-mamba.safetensors --model-updates-topic updates --at-least-once > "$work/run.log" 2>&1 &
job=$!
sleep 20
bin/ssm-stream produce --bootstrap-servers "localhost:$port" --topic in --input examples/machine-temperature.csv \
  --stream m1 --speedup 1000 > "$work/produce.log" 2>&1 &
producer=$!
sleep 10
java -cp ssm-app/target/ssm-stream.jar benchmarks/scripts/FirstNewVersion.java "localhost:$port" out \
  > "$work/first.txt" 2>/dev/null &
watcher=$!
sleep 3
started=$(date +%s%3N)
bin/ssm-stream retrain --input examples/machine-temperature.csv --store "$work/store" \
  --bootstrap-servers "localhost:$port" --model-updates-topic updates --max-minutes "${MINUTES:-1}" > "$work/retrain.log" 2>&1
exited=$(date +%s%3N)
wait "$watcher"
read -r first version < "$work/first.txt"
echo "retrain started -> retrain exited: $((exited - started)) ms; retrain started -> first forecast by $version:" \
  "$((first - started)) ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$producer" "$job" 2>/dev/null
sleep 2
kill "$kafka" 2>/dev/null
wait 2>/dev/null
