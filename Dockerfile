# Citizen 137 — production image: compiled JS on Node 20, production dependencies only, non-root.
# docker build -t citizen137 .   (docker-compose.yml builds and runs it with MongoDB)

# --- build: all dependencies, then npm run build into dist/ (compiled JS, locales, page assets) ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: npm 11 on the dev machines runs no install scripts either; nothing relies on one.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production dependencies + the build output ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_PORT=8137 \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Root owns the code; the process runs as the image's unprivileged "node" user and cannot change it.
USER node
EXPOSE 8137
# GET /healthz on HTTP_PORT (bot/healthcheck.ts; no curl in slim images).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "dist/bot/healthcheck.js", "/healthz"]
# node directly (not npm) so SIGTERM reaches the bot and its graceful shutdown runs.
CMD ["node", "dist/bot/main.js"]
