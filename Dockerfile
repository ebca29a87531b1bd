# syntax=docker/dockerfile:1

# Build: compile TypeScript with the dev dependencies, and gather what the server reads at run time:
# dist/ (the JavaScript, and the non-TypeScript files under src/ copied beside it by `npm run build`),
# and the static folders public/ and dashboard/ when the checkout has them.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir -p /out \
 && cp -r dist /out/ \
 && for folder in public dashboard; do if [ -d "$folder" ]; then cp -r "$folder" /out/; fi; done

# Runtime: production dependencies only (they include the embedded PostgreSQL binaries; tsx and esbuild
# are not among them) and the compiled code, run by plain node.
# It listens on every interface, so it refuses to start until it is told who may call it:
#   -e GATER_API_KEYS=<key>:<role>   or a mounted GATER_API_KEYS_FILE, or GATER_JWT_SECRET / GATER_JWT_JWKS_URL,
#   or -e GATER_ANONYMOUS_ROLE=<role> to serve requests that carry no credential.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    GATER_DATA_DIR=/data
WORKDIR /app
# tini as PID 1 (see the ENTRYPOINT below).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /out ./

# PostgreSQL refuses to run as root. As the image's `node` user the gateway runs its embedded node itself,
# with no `postgres` user to hand it to (that is for root only, DESIGN.md decision 1): /data must be the
# node user's, and so must a volume mounted there.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000 45892/udp

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# PID 1 is Debian's tini, so the image needs no `docker run --init`. It passes SIGTERM and SIGINT on to
# node (and to node alone: the gateway answers what it took on, then stops its PostgreSQL itself), and it
# reaps orphans, which node does not: the backends of an embedded PostgreSQL that crashed are re-parented
# to PID 1, and would stay zombies under node. node itself, not npm, so that the signal reaches the gateway.
# `docker stop` waits 10 s before SIGKILL, as long as GATER_SHUTDOWN_TIMEOUT_MS: give it more (--stop-timeout 30).
ENTRYPOINT ["/usr/bin/tini", "--"]
# A young generation of 64 MiB semi-spaces: a request's objects die young, but each scavenge copies the
# requests under way, and with 16 MiB (Node's default) or 32 MiB it ran so often that one-event appends
# cost 20% more gateway CPU. Idle memory per live subscription is unchanged (npm run bench, fanout50k).
# No allocation-site pretenuring: V8 took some of a request's allocation sites for long-lived and put their
# objects straight into the old generation, where they died; each scavenge then walked them (9-15 ms instead
# of 3-4) and a full collection ran every second under one-event appends.
CMD ["node", "--max-semi-space-size=64", "--no-allocation-site-pretenuring", "dist/main.js"]
