/** The API process's composition root: connections, services and the express app. */
import type { Server } from 'node:http';
import { createApp } from './api/app';
import type { Config } from './config';
import { createMailer } from './email/mailer';
import { connectMongo } from './persistence/connection';
import { createDirectory, directoryModels } from './persistence/directory';
import { eventModel } from './persistence/events';
import { initiativeModel } from './persistence/initiatives';
import { tokenModel } from './persistence/tokens';
import { createInitiativeService } from './service/initiatives';
import { createReadModel } from './service/read-model';
import { connectTemporal } from './temporal/client';

export async function createServices(config: Config) {
  const mongo = await connectMongo(config.MONGODB_URL);
  const client = await connectTemporal(config);
  const models = directoryModels(mongo);
  const directory = createDirectory(models);
  const initiatives = initiativeModel(mongo);
  const events = eventModel(mongo);
  const tokens = tokenModel(mongo);
  await Promise.all([initiatives.init(), events.init(), tokens.init(), models.people.init()]);
  const service = createInitiativeService({ client, config, directory, initiatives, events });
  return {
    mongo,
    client,
    models,
    directory,
    tokens,
    service,
    readModel: createReadModel(initiatives, events),
    async close() {
      await client.connection.close();
      await mongo.close();
    },
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;

export async function startApiServer(config: Config, services: Services): Promise<Server> {
  const mailer = createMailer(config);
  const app = createApp({
    service: services.service,
    readModel: services.readModel,
    directory: services.directory,
    tokens: services.tokens,
    readiness: {
      mongodb: () => services.mongo.db!.admin().ping(),
      temporal: () => services.client.workflowService.getSystemInfo({}),
      smtp: () => mailer.verify(),
    },
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(config.API_PORT, config.API_HOST, () => resolve(server));
    server.once('error', reject);
  });
}
