# One image for every local service (jwt-mock, sandbox, processor, demo page): `docker compose up`.
FROM node:20.20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY jwt-mock/package.json jwt-mock/
COPY sandbox/package.json sandbox/
COPY processor/package.json processor/
COPY enabler/package.json enabler/
RUN npm ci --no-audit --no-fund
COPY . .
# The demo page serves the enabler bundle.
RUN cd enabler && npx vite build --logLevel warn
ENV NODE_ENV=production
CMD ["node", "scripts/start.mjs"]
