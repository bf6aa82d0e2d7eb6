# One image for api, worker and the admin commands (migrate), for users who can pull base images;
# docker-compose.yml picks the command per service. (`npm run up` does not use it: it runs the
# platform from this checkout.)
#   docker build -t wharf/platform:local .
#   docker run wharf/platform:local                                   # api (the default)
#   docker run wharf/platform:local node dist/apps/worker/src/main.js  # worker
#   docker run wharf/platform:local node dist/apps/admin/src/main.js migrate
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY migrations migrations
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    WHARF_STATE_DIR=/var/lib/wharf
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# GET /v3/buildpacks and staging read them (WHARF_BUILDPACKS_DIR defaults to ./buildpacks).
COPY buildpacks buildpacks
RUN mkdir -p /var/lib/wharf && chown node:node /var/lib/wharf
USER node
EXPOSE 9000
CMD ["node", "dist/apps/api/src/main.js"]
