# One image for both processes: `api` (default) or `worker` (command override in docker-compose.yml).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=optional --ignore-scripts=false
COPY . .
EXPOSE 3000
CMD ["npm", "run", "api"]
