# The gateway, with the web UI (storefront and admin console) it serves from WEB_DIR. Built from the repository
# root: `buildah bud -f deploy/docker/gateway.Dockerfile .` (deploy/README.md). Probes are the chart's.
FROM node:24.21.0-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
COPY web/package.json web/
# Vite is a dev dependency: this stage needs it, the final image does not.
RUN npm ci --workspace web --include-workspace-root=false --no-audit --no-fund
COPY web web
RUN npm run build --workspace web

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY services/gateway/package.json services/gateway/
# Only the gateway's production dependencies, exactly as locked.
RUN npm ci --omit=dev --workspace services/gateway --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production WEB_DIR=/app/web/dist
COPY --from=deps /app ./
COPY packages/kit packages/kit
COPY services/gateway services/gateway
COPY --from=web /app/web/dist web/dist
USER 10001:10001
EXPOSE 5000 5100
CMD ["node", "services/gateway/src/server.ts"]
