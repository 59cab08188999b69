# cronplane as a container image: docs/deploy.md "Container".
#   docker build -t cronplane:0.1.0 .
#   docker run -v "$PWD/cronplane.yaml:/etc/cronplane/cronplane.yaml:ro" -p 7070:7070 cronplane:0.1.0
# The image runs the job file's commands: add the programs your jobs call to the last stage.

# Build: every dependency, the TypeScript build and the dashboard, then the dev tools dropped.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY web ./web
# npm ci runs the package's prepare script, which builds the dashboard (web/dist).
RUN npm ci && npm run build && npm prune --omit=dev

# Run: the built package alone, as the unprivileged user the image ships (node, uid 1000).
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    CRONPLANE_CONFIG=/etc/cronplane/cronplane.yaml \
    CRONPLANE_STORE=sqlite:/var/lib/cronplane/cronplane.db \
    CRONPLANE_LISTEN=0.0.0.0:7070
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /etc/cronplane /var/lib/cronplane && chown node:node /var/lib/cronplane
USER node
WORKDIR /var/lib/cronplane
VOLUME /var/lib/cronplane
EXPOSE 7070
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:7070/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains running jobs for up to 30 s: give docker stop -t 50.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/bin/cronplane.js", "start"]
