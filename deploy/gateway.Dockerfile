# The Compose gateway: nginx serving the web app beside the API routes of deploy/nginx.conf.
# Built from the repository root (docker-compose.yml, service `gateway`).

# Node builds the app: the typed client and pages into static files with hashed names.
FROM node:20-alpine AS app
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/index.html web/tsconfig.json web/vite.config.ts web/proxy.json ./
COPY web/src ./src
RUN npm run build

# nginx serves them; nothing of Node reaches this image.
FROM nginx:1.27-alpine
COPY deploy/nginx.conf /etc/nginx/nginx.conf
COPY --from=app /web/dist /usr/share/nginx/html
