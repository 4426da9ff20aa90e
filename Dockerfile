# Roster: an identity directory (SCIM 2.0 + GraphQL).
#
#   docker build -t roster .
#   docker run -p 3000:3000 -v roster-data:/var/lib/roster roster
#
# Without DATABASE_URL, Roster keeps its data in an embedded database in /var/lib/roster (a volume).
# With DATABASE_URL=postgres://…, run `node dist/src/cli/main.js migrate` once per release first.
# See docs/operations.md.

# ---- build: every dependency (TypeScript is a devDependency), then compile to dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app

# Dependencies first, in their own layer, so that a source change does not reinstall them.
# --ignore-scripts: the sources are not here yet for the build that the prepare script runs.
COPY package.json package-lock.json ./
COPY console/package.json console/
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY . .
# dist/bench holds the benchmarks, which the image does not run; console/dist is the admin console.
RUN npm run build && rm -rf dist/bench

# ---- runtime: production dependencies and the compiled code, run by an unprivileged user ----
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/var/lib/roster
WORKDIR /app

# --ignore-scripts: no build here (the compiled code comes from the build stage).
COPY package.json package-lock.json ./
COPY console/package.json console/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# Read at run time: dist/ (server, CLI and migrations), schema/scim/*.json (SCIM schemas), console/dist
# (the admin console's static files) and, from node_modules, GraphiQL's assets. package.json also marks the project root for the CLI.
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
COPY --from=build /app/console/dist ./console/dist

# The code stays root's and read-only; only the data folder belongs to the `node` user (uid 1000).
# It is created and chowned before VOLUME, so that a new named volume starts with that owner.
RUN mkdir -p /var/lib/roster && chown node:node /var/lib/roster
VOLUME ["/var/lib/roster"]
USER node

EXPOSE 3000

# Ready = the database answers and the server is not draining. No curl in slim images: node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Exec form: node is PID 1 and gets SIGTERM itself; it drains requests for up to SHUTDOWN_TIMEOUT_MS
# (10 s by default), then closes the database, so give `docker stop` more than that (-t 20).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
