#!/usr/bin/env bash
# On a fresh clone (`npm ci`, which builds), `npm start` serves
# actions that succeed. This starts `npm start`, waits for the demo API and
# slotwire, runs the curl that `npm start` printed, checks for a 200 with
# the has_availability slot, then stops everything the way Ctrl-C does and
# checks both ports are closed. Every wait is bounded; the trap cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-5055}
DEMO_API_PORT=${DEMO_API_PORT:-5056}
START_TIMEOUT=${START_TIMEOUT:-90}   # seconds for both servers to come up
STOP_TIMEOUT=20                      # seconds for both to stop after Ctrl-C

log=$(mktemp)
body=$(mktemp)
pid=""

group_alive() { [[ -n $pid ]] && kill -0 -- "-$pid" 2>/dev/null; }

cleanup() {
  if group_alive; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do group_alive || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$log" "$body"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "start-smoke: FAIL: $*" >&2
  echo "--- npm start output ---" >&2
  cat "$log" >&2
  exit 1
}

port_open() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/health"; }

for p in "$PORT" "$DEMO_API_PORT"; do
  if port_open "$p"; then echo "start-smoke: port $p is already in use; stop that server first" >&2; exit 1; fi
done

# Job control puts npm start in its own process group, as a terminal would,
# so Ctrl-C's SIGINT can be sent to the whole group below.
set -m
PORT=$PORT DEMO_API_PORT=$DEMO_API_PORT npm start >"$log" 2>&1 &
pid=$!
set +m

# Wait for both ports and the printed curl (printed once slotwire is ready).
deadline=$((SECONDS + START_TIMEOUT))
cmd=""
until [[ -n $cmd ]] && port_open "$DEMO_API_PORT" && port_open "$PORT"; do
  group_alive || fail "npm start exited before both servers were up"
  ((SECONDS < deadline)) || fail "not ready within ${START_TIMEOUT}s"
  sleep 0.5
  cmd=$(grep -m1 -E "^[[:space:]]+curl .*/webhook" "$log" | sed -E 's/^[[:space:]]+//' || true)
done
echo "start-smoke: both servers up; running: ${cmd:0:100}…"

# Run the printed command as printed, with a time limit and the status captured.
status=$(eval "$cmd --max-time 10 -o \"\$body\" -w '%{http_code}'") || fail "the printed curl failed (curl exit $?)"
[[ $status == 200 ]] || fail "webhook answered $status, not 200: $(cat "$body")"
node -e '
  const body = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const slot = (body.events || []).find((e) => e.event === "slot" && e.name === "has_availability");
  if (!slot) { console.error("no has_availability slot event in " + JSON.stringify(body)); process.exit(1); }
  if (slot.value !== true) { console.error("has_availability is " + JSON.stringify(slot.value) + ", expected true for the demo data"); process.exit(1); }
' "$body" || fail "unexpected webhook answer"
echo "start-smoke: 200 with has_availability = true"

# Stop it as Ctrl-C does: SIGINT to the whole process group.
kill -INT -- "-$pid"
deadline=$((SECONDS + STOP_TIMEOUT))
while group_alive; do
  ((SECONDS < deadline)) || fail "still running ${STOP_TIMEOUT}s after SIGINT"
  sleep 0.2
done
for p in "$PORT" "$DEMO_API_PORT"; do
  ! port_open "$p" || fail "port $p still answers after stopping"
done
pid=""
echo "start-smoke: stopped cleanly; ok"
