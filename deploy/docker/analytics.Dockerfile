# The analytics-api service. Built from the repository root: `buildah bud -f deploy/docker/analytics-api.Dockerfile .`
# (deploy/README.md). Node runs the TypeScript sources directly; probes are the chart's, not the image's.
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
# Manifests first: the npm ci layer is reused until a manifest or the lockfile changes.
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY packages/events/package.json packages/events/
COPY packages/messaging/package.json packages/messaging/
COPY services/analytics/package.json services/analytics/
# Only this workspace's production dependencies, exactly as locked.
RUN npm ci --omit=dev --workspace services/analytics --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app ./
COPY packages/kit packages/kit
COPY packages/events packages/events
COPY packages/messaging packages/messaging
COPY services/analytics services/analytics
USER 10001:10001
EXPOSE 5006
CMD ["node", "services/analytics/src/server.ts"]
