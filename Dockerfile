# syntax=docker/dockerfile:1
# Visor's image. The build stage runs `npm ci`, whose postinstall builds the ONNX models (from the npm packages
# that ship their weights), the web app (dist/web) and the server (dist/server); the runtime stage keeps the
# production dependencies and the built files and runs `node` on the built server as the unprivileged `node` user.
#   docker build -t visor .        docker run -p 8000:8000 -v visor-data:/data visor
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# Two glibc malloc arenas instead of 8 per core: libvips and onnxruntime threads otherwise keep freed memory in
# their own arenas after a peak (README, Reliability: ~270 MB less RSS after a burst of big photos).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    PORT=8000 \
    VISOR_DATA_DIR=/data
WORKDIR /app
# What the built server reads at run time: its bundles, the web app, the models, the production dependencies and
# the assets it finds beside its sources (SQL migrations, the API docs page, the inference worker's loader, demos).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/models/manifest.json /app/models/*.onnx ./models/
COPY --from=build /app/models/unused-dependency ./models/unused-dependency
COPY --from=build /app/server/src ./server/src
COPY --from=build /app/web/demo ./web/demo
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8000
# Ready = models loaded and the database answering (GET /api/ready, 200); the first start builds PGlite's files.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 and handles SIGTERM: requests in flight are answered, workers stop, the database closes.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
