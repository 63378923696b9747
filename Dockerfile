# ESI Scheduler image. Three stages: `build` (every dependency, the dashboard bundle), `deps`
# (production dependencies only; their postinstall generates the Prisma client), and the runtime image,
# which holds those, the server's source and the built dashboard, and runs as the unprivileged `node`
# user. .dockerignore keeps .env files, .git, tests and local data out of every stage.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web

FROM node:22-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/esi
WORKDIR /app
COPY package.json ./
COPY prisma ./prisma
COPY src ./src
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/src/generated ./src/generated
COPY --from=build /app/web/dist ./web/dist
# The only folder the service writes (embedded database, generated key) when no DATABASE_URL is given.
RUN mkdir -p /var/lib/esi && chown node:node /var/lib/esi
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1's child of no shell: SIGTERM reaches the server, which drains and closes cleanly.
CMD ["node", "--import", "tsx", "src/server.ts"]
