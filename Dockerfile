# The worker, the mailer and the API share one image; the command chooses the process.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY data ./data
COPY tsconfig.json ./
USER node
EXPOSE 3000
CMD ["npx", "tsx", "src/cli/api.ts"]
