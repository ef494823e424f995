#!/usr/bin/env bash
# End-to-end benchmark of the daemon with exactly-once on, against the local broker (deploy/kafka/local-broker,
# started here if it does not answer). Builds nothing: build `sanctions-monitor` and `e2e_probe` first, e.g.
#   cmake -S . -B build-e2e -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo && ninja -C build-e2e sanctions-monitor e2e_probe
#
#   bench/e2e/run.sh [N=200000] [LATENCY_SECONDS=20]
#
# Input: N events from `sanctions-monitor generate` as proto3 JSON lines (2% with parties from the real lists,
# none malformed), fed as they are; outputs in the daemon's default binary protobuf. Topics get a random
# suffix and PARTITIONS (default 6) partitions; the configuration is deploy/sanctions-monitor.toml with the
# bootstrap, topics, group and transactional id replaced (commit_interval 100 ms, min_alert_tier MEDIUM).
#   (i)  throughput: the daemon is running and caught up; all N events are produced as fast as the broker takes
#        them; the rate is N over the time from the first to the last alert visible to a read_committed
#        consumer (also N over produce start .. the group's committed offsets covering all N).
#   (ii) latency: fresh topics and daemon; events produced at half the measured rate for LATENCY_SECONDS;
#        per alert, the time it became visible (read_committed) minus its event's send time; p50/p90/p99/max,
#        over all alerts and over those of events sent after a 3 s warm-up (E2E_SAMPLES=FILE writes every sample).
# The report ends with the daemon's resident memory at the end of each phase and its peak (VmRSS, VmHWM).
# Environment: SM_BUILD (build tree, default build-e2e), PARTITIONS, SM_KAFKA_PORT (as local-broker),
# INPUT_FORMAT (json, the default, or protobuf: the same events sent as binary sanctions.v1.TradeEvent),
# MEAN_GAP (event time between events, default 1s; with 60s, 200,000 events span 139 days, an hour window holds ~60
# events and closes every ~60 events on each partition: the window-closing path at its worst; 1s is nearer a
# busy real stream, and still 10,000 times faster than real time at 10,000 events/s),
# LATENCY_RATE (fixes the rate of (ii)), KAFKA_PROPERTIES (lines added under [kafka.properties]), ASSESS_THREADS ([processing] assess_threads, default 2), KEEP=1 keeps the work directory and the run's topics (deleted otherwise).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${SM_BUILD:-$repo/build-e2e}"
bin="$build/daemon/app/sanctions-monitor"
probe="$build/bench/e2e_probe"
n="${1:-200000}"
latency_seconds="${2:-20}"
partitions="${PARTITIONS:-6}"
broker="$repo/deploy/kafka/local-broker"

for f in "$bin" "$probe"; do
  [[ -x "$f" ]] || { echo "run.sh: $f is missing: build sanctions-monitor and e2e_probe in $build first" >&2; exit 2; }
done
command -v kcat >/dev/null || { echo "run.sh: kcat is needed" >&2; exit 2; }

if ! "$broker" status >/dev/null 2>&1; then
  "$broker" start >/dev/null
fi
bootstrap="$("$broker" bootstrap)"
shared="${SM_SHARED_DATA:-$(cd "$repo/.." && pwd)/shared/data}"
work="$(mktemp -d /tmp/sm-e2e-bench.XXXXXX)"
daemon_pid=""
cleanup() {
  if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2>/dev/null; then kill -TERM "$daemon_pid"; wait "$daemon_pid" || true; fi
  if [[ "${KEEP:-0}" != 1 ]]; then
    rm -rf "$work"
    # The run's topics too: a broker that keeps every run's ~50 partitions gets slower run after run.
    if [[ -n "${suffix:-}" ]]; then "$probe" delete-topics "$bootstrap" "$suffix" >/dev/null || true; fi
  else
    echo "work directory and topics ($suffix*) kept: $work"
  fi
}
trap cleanup EXIT

# write_config NAME: a configuration whose topics, group and transactional id carry NAME.
write_config() {
  local name="$1" cfg="$work/$1.toml"
  sed -e "s|^root = \"..\"|root = \"$repo\"|" \
      -e "s|\"../shared/data/|\"$shared/|" \
      -e "s|^bootstrap_servers = .*|bootstrap_servers = \"$bootstrap\"|" \
      -e "s|^group_id = .*|group_id = \"$name\"|" \
      -e "s|^transactional_id = .*|transactional_id = \"$name-1\"|" \
      -e "s|^input_topic = .*|input_topic = \"$name.events\"|" \
      -e "s|^alerts_topic = .*|alerts_topic = \"$name.alerts\"|" \
      -e "s|^aggregates_topic = .*|aggregates_topic = \"$name.aggregates\"|" \
      -e "s|^dead_letter_topic = .*|dead_letter_topic = \"$name.dlq\"|" \
      -e "s|^late_events_topic = .*|late_events_topic = \"$name.late\"|" \
      -e "s|^changelog_topic = .*|changelog_topic = \"$name.changelog\"|" \
      -e "s|^partial_aggregates_topic = .*|partial_aggregates_topic = \"$name.partial\"|" \
      -e "s|^merge_changelog_topic = .*|merge_changelog_topic = \"$name.merge-changelog\"|" \
      -e "s|^address = .*|address = \"127.0.0.1:0\"|" \
      -e "s|^assess_threads = .*|assess_threads = ${ASSESS_THREADS:-2}|" \
      "$repo/deploy/sanctions-monitor.toml" >"$cfg"
  if [[ -n "${KAFKA_PROPERTIES:-}" ]]; then
    # Each line of it under [kafka.properties], e.g. KAFKA_PROPERTIES='"compression.type" = "lz4"'.
    awk -v extra="$KAFKA_PROPERTIES" '{ print } /^\[kafka.properties\]$/ { print extra }' "$cfg" >"$cfg.tmp" && mv "$cfg.tmp" "$cfg"
  fi
  "$bin" config check "$cfg" >/dev/null
  "$bin" topics create --config "$cfg" --partitions "$partitions" >/dev/null
  echo "$cfg"
}

# start_daemon CONFIG LOG: runs the daemon and waits until both of its stages own every partition and have
# restored their (empty) state.
start_daemon() {
  "$bin" run --config "$1" >"$2" 2>&1 &
  daemon_pid=$!
  local waited=0
  until grep -q "ready: $partitions partitions and $partitions merge-stage partitions assigned" "$2"; do
    kill -0 "$daemon_pid" 2>/dev/null || { tail -n 30 "$2" >&2; echo "run.sh: the daemon exited" >&2; exit 1; }
    ((waited++ < 1200)) || { tail -n 30 "$2" >&2; echo "run.sh: the daemon never became ready" >&2; exit 1; }
    sleep 0.1
  done
}

# memory_mb PID: the process's resident set now and at its peak, in MB ("now peak").
memory_mb() { awk '/^VmRSS:/ { now = $2 } /^VmHWM:/ { peak = $2 } END { printf "%.0f %.0f", now / 1024, peak / 1024 }' "/proc/$1/status"; }

stop_daemon() {
  kill -TERM "$daemon_pid"
  wait "$daemon_pid" || { echo "run.sh: the daemon exited with status $?" >&2; tail -n 20 "$1" >&2; exit 1; }
  daemon_pid=""
  grep -o "stopped cleanly: .*" "$1" | tail -n 1
  # Each stage's runner: transactions and the time its thread spent committing them.
  grep -o "kafka: stopped cleanly (.*" "$1" || true
}

value() { sed -n "s/^$1=//p" "$2"; }

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
broker_pid() { cat "${SM_KAFKA_RUN_DIR:-$repo/deploy/kafka/run}/kafka.pid"; }

suffix="bench-$(date +%s)-$RANDOM"
echo "== end-to-end benchmark: $n events, $partitions partitions, broker $bootstrap, work $work"
t0=$(date +%s.%N)
"$bin" generate --count "$n" --seed 2026 --mean-gap "${MEAN_GAP:-1s}" --format json --output "$work/events.jsonl" 2>"$work/generate.err"
t1=$(date +%s.%N)
printf "generated %d JSON events (%s bytes) in %.1f s\n" "$n" "$(stat -c %s "$work/events.jsonl")" "$(awk "BEGIN{print $t1 - $t0}")"

export E2E_INPUT_FORMAT="${INPUT_FORMAT:-json}"
echo "== (i) sustained throughput (input: $E2E_INPUT_FORMAT)"
cfg="$(write_config "$suffix-t")"
start_daemon "$cfg" "$work/daemon-t.log"
daemon_cpu0="$(cpu_seconds "$daemon_pid")"
broker_cpu0="$(cpu_seconds "$(broker_pid)")"
"$probe" throughput "$bootstrap" "$suffix-t.events" "$suffix-t.alerts" "$suffix-t" "$partitions" \
  "$work/events.jsonl" | tee "$work/throughput.txt"
daemon_cpu="$(awk "BEGIN { printf \"%.2f\", $(cpu_seconds "$daemon_pid") - $daemon_cpu0 }")"
broker_cpu="$(awk "BEGIN { printf \"%.2f\", $(cpu_seconds "$(broker_pid)") - $broker_cpu0 }")"
read -r memory_t memory_t_peak <<<"$(memory_mb "$daemon_pid")"
stop_daemon "$work/daemon-t.log"
eps="$(value throughput_first_to_last_alert_eps "$work/throughput.txt")"

echo "== (ii) latency at half that rate"
rate="${LATENCY_RATE:-$((eps / 2))}"
count=$((rate * latency_seconds))
((count <= n)) || count=$n
cfg="$(write_config "$suffix-l")"
start_daemon "$cfg" "$work/daemon-l.log"
"$probe" latency "$bootstrap" "$suffix-l.events" "$suffix-l.alerts" "$suffix-l" "$partitions" \
  "$work/events.jsonl" "$rate" "$count" | tee "$work/latency.txt"
read -r memory_l memory_l_peak <<<"$(memory_mb "$daemon_pid")"
stop_daemon "$work/daemon-l.log"

echo
echo "== report"
t="$work/throughput.txt"
l="$work/latency.txt"
printf "throughput: %s events in; first alert visible at %ss, last at %ss, all inputs committed at %ss\n" \
  "$(value events "$t")" "$(value first_alert_s "$t")" "$(value last_alert_s "$t")" "$(value all_committed_s "$t")"
printf "            %s events/s (first to last alert), %s events/s (produce start to all committed); producer alone %s events/s\n" \
  "$(value throughput_first_to_last_alert_eps "$t")" "$(value throughput_produce_start_to_all_committed_eps "$t")" \
  "$(value produce_eps "$t")"
printf "            CPU over the %s events (from ready to all committed): daemon %s s (%s us an event), broker %s s (%s us an event)\n" \
  "$n" "$daemon_cpu" "$(awk "BEGIN { printf \"%.0f\", $daemon_cpu * 1e6 / $n }")" \
  "$broker_cpu" "$(awk "BEGIN { printf \"%.0f\", $broker_cpu * 1e6 / $n }")"
printf "latency:    %s events at %s/s (achieved %s/s); %s alerts timed: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms\n" \
  "$(value events "$l")" "$(value target_eps "$l")" "$(value achieved_eps "$l")" "$(value samples "$l")" \
  "$(value latency_p50_ms "$l")" "$(value latency_p90_ms "$l")" "$(value latency_p99_ms "$l")" "$(value latency_max_ms "$l")"
printf "            after a 3 s warm-up (connections, first transactions): %s alerts: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms\n" \
  "$(value steady_samples "$l")" "$(value steady_p50_ms "$l")" "$(value steady_p90_ms "$l")" "$(value steady_p99_ms "$l")" \
  "$(value steady_max_ms "$l")"
printf "memory:     daemon resident at the end of (i) %s MB (peak %s MB), of (ii) %s MB (peak %s MB)\n" \
  "$memory_t" "$memory_t_peak" "$memory_l" "$memory_l_peak"
