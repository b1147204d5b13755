#!/usr/bin/env bash
# The packed package, installed from its tarball into a scratch project with
# production dependencies only: `import { createEngine } from 'slotwire'`
# runs actions (.ci/engine-smoke.mjs), and its `slotwire` binary
# serves an actions file and stops on SIGTERM (.ci/serve-smoke.mjs),
# and serves the authoring page with its bundle (.ci/studio-smoke.mjs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$root"
npm pack --silent --pack-destination "$scratch" >/dev/null
cd "$scratch"
npm init -y >/dev/null
npm install --omit=dev --no-audit --no-fund --silent ./slotwire-*.tgz
# A dependency's devDependencies never install; these would only come as
# production dependencies of slotwire or of one of its own.
for dev in tsx typescript vitest esbuild playwright-core; do
  [[ ! -e node_modules/$dev ]] || { echo "pack-smoke: FAIL: node_modules/$dev is installed" >&2; exit 1; }
done
cp "$root/.ci/engine-smoke.mjs" "$root/.ci/orders-api.mjs" .
node engine-smoke.mjs
node "$root/.ci/serve-smoke.mjs" node_modules/.bin/slotwire serve --actions '{actions}' --port '{port}' --host 127.0.0.1
node "$root/.ci/studio-smoke.mjs" node_modules/.bin/slotwire
