# One image for the five services; docker-compose.yml picks the service with SERVICE.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node tools/prepare.js && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/tools ./tools
COPY --from=build /app/prisma ./prisma
COPY package.json ./
USER node
# SERVICE = gateway | identity | authorizations | notifications | reporting | migrate
ENV SERVICE=gateway
CMD ["sh", "-c", "if [ \"$SERVICE\" = migrate ]; then exec node dist/libs/database/src/migrations/migrate.cli.js; else exec node dist/apps/$SERVICE/src/main.js; fi"]
