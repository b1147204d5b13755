# slotwire's production image (docs/deploy.md#3-the-container-image). Build and serve ./actions.yml:
#   docker build -t slotwire .
#   docker run -p 5055:5055 -v "$PWD:/app/actions:ro" slotwire
# Verbs (start, the slotwire commands, any command) and environment (PORT,
# SLOTWIRE_ACTIONS): docker/entrypoint.sh. `bash .ci/image-smoke.sh` runs
# this file's runtime stage without Docker; test/deploy/dockerfile.test.ts
# checks this file.

# Build: dist/ from runtime/. Both stages use one base, so what the build's
# npm ci picks for the platform (TypeScript 7's native compiler) matches the
# machine. bookworm-slim: Debian's glibc without curl, compilers or docs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The dependencies first, in a layer of their own that stays cached until
# the lockfile changes; no scripts, since `prepare` (the build) needs the
# sources copied below, and no dependency needs an install script to build
# (esbuild's, under tsx, is for `npm start`).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# Only what `npm run build` (tsc -p tsconfig.build.json, then the studio
# page's esbuild bundle, the actions schema's validator and the
# executable's bundle) reads.
COPY tsconfig.json tsconfig.build.json tsconfig.page.json ./
COPY scripts/build-page.mjs scripts/build-schema-validator.mjs scripts/build-bundle.mjs ./scripts/
COPY schemas ./schemas
COPY runtime ./runtime
RUN npm run build

# Runtime: the lockfile's production dependencies, the compiled dist/, the
# schemas it validates actions files with and the .proto files serve --grpc
# reads. No TypeScript, tsx or vitest, and no `npm start`: that is the
# repo's demo, through tsx.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build, and no production dependency has
# an install script. The npm cache is of no use at run time.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY proto ./proto
COPY docker/entrypoint.sh ./entrypoint.sh

# Files stay root's (uid 0, group 0) and world-readable (npm's and COPY's
# 644/755): the server only reads them, and cannot rewrite its own code.
# Any uid can run it, so OpenShift's arbitrary uids (in group 0) work too;
# 1001 is the user Rasa's images run as.
USER 1001
EXPOSE 5055
# Liveness for `docker run`, Compose and Swarm (Kubernetes ignores this and
# uses its own probes): GET /health on the port `start` serves, through
# node's fetch since the slim image has no curl. Plain HTTP: with --ssl-*
# flags, override it (docker run --health-cmd).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 5055) + '/health', { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["start"]
