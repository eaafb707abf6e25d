# syntax=docker/dockerfile:1
# Build: compile TypeScript with dev dependencies. Runtime: production dependencies only, non-root.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 (the embedded store) compiles its native module with node-gyp: python3, make and g++,
# against the image's own Node headers (no prebuilt or header download).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts keeps every other package's install scripts out; the one native module is built explicitly.
RUN npm ci --no-audit --no-fund --ignore-scripts \
    && npm_config_build_from_source=true npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")" \
       npm rebuild better-sqlite3 --no-audit --no-fund \
    && node -e "require('better-sqlite3')(':memory:').close()" \
    && rm -rf node_modules/better-sqlite3/build/Release/obj* node_modules/better-sqlite3/build/Release/.deps node_modules/better-sqlite3/deps
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# --max-semi-space-size=4: a young generation of 8 MB instead of 32 MB per thread; serve's garbage dies young, and
# the shorter scavenges pause the serving thread less while crawling (README "Scaling out"). bench:scale runs serve
# with this NODE_OPTIONS too. MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (serve's, the store's, the
# parse workers') malloc arenas of its own, kept and fragmented; two shared arenas took about 10 MB off serve's peak RSS
# at 300 sources (bench:scale, 267-270 against 272-286 MB).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=4" \
    MALLOC_ARENA_MAX=2 \
    PORT=8080 \
    DATA_DIR=/data \
    PORTALFEED_CONFIG=/app/config/default.yaml
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root config ./config
COPY --chown=root:root examples ./examples
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1: it handles SIGTERM/SIGINT itself (graceful shutdown), so no shell wrapper.
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
