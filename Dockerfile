# Stateless app image: configuration from the environment, data in PostgreSQL (DATABASE_URL).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
COPY --from=build /app ./
USER node
EXPOSE 3000
# Migrates (with an advisory lock, so several instances can start together), bootstraps ADMIN_EMAIL, then serves.
CMD ["node_modules/.bin/tsx", "--conditions=react-server", "scripts/run-server.ts", "start"]
