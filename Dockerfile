# modelwatch container image.
#
#   docker build -t modelwatch:0.1.0 .
#   docker run -v /var/log/model-server:/var/log/model-server:ro -v $PWD/config.yaml:/etc/modelwatch/config.yaml:ro \
#     -p 9847:9847 modelwatch:0.1.0
#
# The same image runs the demo model server (docker-compose.yml):
#   docker run --entrypoint node modelwatch:0.1.0 dist/demo/model-server.js --dir /var/log/model-server

# Build stage: the TypeScript compiler and the other dev dependencies never reach the runtime image.
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the "prepare" script builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/
# tsc, then one esbuild bundle of dist/cli.js into dist/bundle/ (esbuild comes with tsx, a dev
# dependency): 7-8 MiB less resident at start-up than ~200 separate modules (docs/performance.md).
RUN npm run build

# Runtime stage: production dependencies, the compiled JavaScript and the example configs.
# Node 26, the active LTS line (Node 20's support ended in April 2026); the benches run this major.
FROM node:26-slim
ENV NODE_ENV=production
# A 2 MiB young generation (V8's default grows to 16 MiB, ×2 semi-spaces): peak RSS over a 300k-line
# backlog 148 → 110 MiB at the same CPU. Optimizing compiles on the main thread and no Maglev tier:
# Node 26's background compiles held +16-18 MiB at the peak of a 1M-line backlog (108 MiB against
# 90-92) and Maglev's code pages 2 MiB more (89), for no CPU gain in either (docs/performance.md).
# The benches run with these flags. They are on the command line (ENTRYPOINT), not in NODE_OPTIONS:
# Node refuses V8 flags outside its short list there ("--no-maglev is not allowed in NODE_OPTIONS",
# exit 9), so the image did not start while they were.
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts again: "prepare" would run tsc, which --omit=dev leaves out.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config ./config
# The default config tails /var/log/model-server/*.jsonl; mount your own over it. The log and
# checkpoint directories belong to the unprivileged user, so volumes created from them do too.
RUN mkdir -p /etc/modelwatch /var/log/model-server /var/lib/modelwatch \
  && cp config/example.yaml /etc/modelwatch/config.yaml \
  && chown node:node /var/log/model-server /var/lib/modelwatch
# The "node" user (uid 1000) of the official image; the same uid as a model server container lets
# the resource collectors read /proc/PID/io and /proc/PID/fd of a process in a shared PID namespace.
USER node
VOLUME /var/log/model-server
EXPOSE 9847
# slim images carry no curl: Node's own fetch asks the liveness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9847/-/healthy').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--max-semi-space-size=2", "--no-concurrent-recompilation", "--no-maglev", "dist/cli.js"]
CMD ["run", "--config", "/etc/modelwatch/config.yaml"]
