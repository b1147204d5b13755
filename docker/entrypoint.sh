#!/bin/sh
# The image's entrypoint (Dockerfile), with rasa-sdk's verbs: its image runs
# ENTRYPOINT ["./entrypoint.sh"] with CMD ["start", ...], where `start` runs
# the action server and anything else is run as given. Here:
#
#   start [flags]    slotwire serve --host 0.0.0.0 --port $PORT
#                    --actions $SLOTWIRE_ACTIONS [flags]; node's parseArgs
#                    keeps the last of a repeated flag, so the flags given
#                    here override these defaults (`start --host ::`)
#   serve | validate | test | run | init | schema | help | --help | -h |
#   --version | -v
#                    that slotwire command, as given
#   anything else    run as given (`sh`, `node -e ...`)
#
# No arguments means `start`. Environment: PORT (default 5055: the port the
# HEALTHCHECK probes), SLOTWIRE_ACTIONS (default /app/actions/actions.yml),
# SLOTWIRE_BIN (default /app/dist/cli/bin.js: the slotwire executable; set
# to run this script outside the image, as .ci/image-smoke.sh does).
#
# Every branch execs: the command replaces this shell, keeps its PID (1 in a
# container) and gets SIGTERM itself. No init such as tini runs first: as
# PID 1 node has no default action for SIGTERM, but `slotwire serve`
# handles SIGTERM and SIGINT (closeOnSignals; the --workers primary stops
# its workers), and its only child processes are those workers, which it
# waits for, so there are no orphans to reap. (A SIGTERM in the moment
# before the server listens is ignored: the orchestrator's SIGKILL follows.)
set -eu

bin="${SLOTWIRE_BIN:-/app/dist/cli/bin.js}"
[ "$#" -gt 0 ] || set -- start

case "$1" in
  start)
    shift
    exec "$bin" serve --host 0.0.0.0 --port "${PORT:-5055}" --actions "${SLOTWIRE_ACTIONS:-/app/actions/actions.yml}" "$@"
    ;;
  serve | validate | test | run | init | schema | help | --help | -h | --version | -v)
    exec "$bin" "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
