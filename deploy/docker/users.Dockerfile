# The users service. Built from the repository root: `buildah bud -f deploy/docker/users.Dockerfile .`
# (deploy/README.md). Node runs the TypeScript sources directly; probes are the chart's, not the image's.
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
# Manifests first: the npm ci layer is reused until a manifest or the lockfile changes.
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY packages/events/package.json packages/events/
COPY packages/messaging/package.json packages/messaging/
COPY services/users/package.json services/users/
# Only this workspace's production dependencies, exactly as locked.
RUN npm ci --omit=dev --workspace services/users --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app ./
COPY packages/kit packages/kit
COPY packages/events packages/events
COPY packages/messaging packages/messaging
COPY services/users services/users
USER 10001:10001
EXPOSE 5001
CMD ["node", "services/users/src/server.ts"]
