# One image for every process: api (default command), worker, migrations (command overrides in docker-compose.yml).
# scripts/docker-replay.sh replays the build stage's npm steps in CI, where there is no Docker engine.

# --- build: production dependencies (native bindings included), compiled JavaScript, the workflow bundle ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Production dependencies only; optional platform packages stay (argon2's and swc's native bindings are optional
# dependencies). Install scripts run only for the packages package.json's allowScripts lists.
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY api ./api
COPY activities ./activities
COPY db ./db
COPY domain ./domain
COPY scripts ./scripts
COPY worker ./worker
COPY workflows ./workflows
# dist/: api, worker, migrate, ledger-check and healthcheck as JavaScript, plus dist/workflow-bundle.js.
RUN node --import tsx scripts/build.ts && node scripts/docker/verify-image.mjs

# --- runtime: no compiler, no sources, a non-root user, tini as PID 1 ---
FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
USER node
EXPOSE 3000
# The api checks its /ready; a worker (WORKER_HEALTH_PORT set) its own /health.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/scripts/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/api/server.js"]
