# Kunde's container image. Build stage: all dependencies (better-sqlite3 compiles its native
# module when no prebuilt binary matches), `npm run build`, then the devDependencies are pruned.
# Runtime stage: production dependencies and the build only, as the non-root `node` user, data
# in the /data volume. Checked without Docker by scripts/check-container-steps.sh (run by CI).
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first: this layer is reused until package.json or the lock changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000 \
    SMTP_PORT=2525
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/scripts/healthcheck.mjs ./scripts/healthcheck.mjs
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000 2525
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "scripts/healthcheck.mjs"]
# The same node flags as `npm start` (bench/kunde-process.ts keeps the two in step).
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=4", "dist/server/main.js"]
