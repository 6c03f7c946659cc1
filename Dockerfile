# The image Smithery (or anyone) runs the server from: built from a clean clone, so dist/ is made here.
FROM node:24-alpine
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies only; the build runs once the sources are in (npm ci would run `prepare` too early).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
ENTRYPOINT ["node", "dist/index.js"]
# Hosted by default, as Smithery's container runtime runs it: Streamable HTTP on PORT (8080 here unless set), with
# no operator key, every caller bringing their own Exa key in X-Exa-Api-Key. Unauthenticated because the platform
# in front authenticates callers (a warning says so on stderr); anywhere else set MCP_AUTH_TOKEN, which then
# applies. Given an operator key (-e EXA_API_KEY) this command refuses to start (exit 2) unless MCP_AUTH_TOKEN is
# set too: an operator's key is never served to callers nobody authenticated. For stdio, pass other arguments:
# `docker run -i --rm -e EXA_API_KEY image --read-only`, or `--sandbox`.
ENV PORT=8080
EXPOSE 8080
CMD ["--http", "--host", "0.0.0.0", "--allow-unauthenticated"]
