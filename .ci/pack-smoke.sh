#!/usr/bin/env bash
# `import { createEngine } from 'slotwire'` from outside the repo (issue 11):
# pack the package, install it into a scratch project, run .ci/engine-smoke.mjs there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$root"
npm pack --silent --pack-destination "$scratch" >/dev/null
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent ./slotwire-*.tgz
cp "$root/.ci/engine-smoke.mjs" .
node engine-smoke.mjs
