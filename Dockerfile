# syntax=docker/dockerfile:1
# The project's tools in a container: `gunw` (regression harness, release tooling). ISCE2 and the processor
# (`isce2_topsapp`) are added by the processor work (issue #4).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY package.json ./
COPY docs/report.schema.json ./docs/report.schema.json
USER node
ENTRYPOINT ["node", "/app/lib/cli/gunw.js"]
CMD ["--help"]
