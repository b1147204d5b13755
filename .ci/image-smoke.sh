#!/usr/bin/env bash
# The Dockerfile's runtime stage without Docker (CI has no
# daemon): the same steps into a scratch /app — the lockfile's production
# dependencies (npm ci --omit=dev --ignore-scripts), the built dist/, the
# schemas, docker/entrypoint.sh — then the image's command, `entrypoint.sh
# start`, must serve an actions file (.ci/serve-smoke.mjs). Flags after
# `start` override its defaults: --actions replaces /app/actions/actions.yml,
# which does not exist here. Keep the steps in line with the Dockerfile's;
# test/deploy/dockerfile.test.ts checks the Dockerfile's side.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
app="$(mktemp -d)"
trap 'rm -rf "$app"' EXIT
cd "$root"
[[ -f dist/cli/bin.js ]] || { echo "image-smoke: no dist/; run npm ci (or npm run build) first" >&2; exit 1; }
cp package.json package-lock.json "$app/"
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --silent)
cp -R dist schemas "$app/"
cp docker/entrypoint.sh "$app/entrypoint.sh"
cd "$app"
# Here, unlike from the tarball, --omit=dev is what keeps slotwire's own dev tools out.
for dev in tsx typescript vitest; do
  [[ ! -e node_modules/$dev ]] || { echo "image-smoke: FAIL: node_modules/$dev is installed" >&2; exit 1; }
done
SLOTWIRE_BIN="$app/dist/cli/bin.js" node "$root/.ci/serve-smoke.mjs" ./entrypoint.sh start --actions '{actions}' --host 127.0.0.1
