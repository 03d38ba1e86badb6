# syntax=docker/dockerfile:1
# The ARIA S1-GUNW processor image: ISCE2 (conda-forge, through micromamba, pinned in docker/environment.yml) with
# Node running `isce2_topsapp` (the entry point, as HyP3 calls it) and `gunw` (regression and release tools).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim
ARG MICROMAMBA_IMAGE=mambaorg/micromamba:1.5.10-bookworm-slim

FROM ${NODE_IMAGE} AS node

FROM node AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/stamp-version.mjs ./scripts/
# The context has no .git: the version the release tools computed comes in here (the container action passes it).
ARG GUNW_VERSION=""
RUN npm run build && node scripts/stamp-version.mjs "$GUNW_VERSION" && npm prune --omit=dev

FROM ${MICROMAMBA_IMAGE}
LABEL org.opencontainers.image.description="ARIA S1-GUNW processor (ISCE2 topsApp) and GUNW regression harness"
COPY --chown=$MAMBA_USER:$MAMBA_USER docker/environment.yml /tmp/environment.yml
RUN micromamba install --yes --name base --file /tmp/environment.yml && micromamba clean --all --yes
COPY --from=node /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY package.json ./
COPY templates ./templates
COPY data ./data
COPY docs/report.schema.json ./docs/report.schema.json
COPY --chmod=755 docker/entrypoint.sh /usr/local/bin/entrypoint.sh
USER root
RUN ln -s /app/lib/cli/gunw.js /usr/local/bin/gunw && chmod 755 /app/lib/cli/*.js
USER $MAMBA_USER
# Jobs run in the working directory; mount or use this one.
WORKDIR /home/mambauser/work
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["--help"]
