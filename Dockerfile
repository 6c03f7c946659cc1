# The image Smithery (or anyone) runs the server from: built from a clean clone, so dist/ is made here.
FROM node:24-alpine
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies only; the build runs once the sources are in (npm ci would run `prepare` too early).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
ENTRYPOINT ["node", "dist/index.js"]
