/** Entry point of the API process. */
import { loadConfig } from '../config';
import { logger } from '../logger';
import { createServices, startApiServer } from '../server';
import { runMain } from './main';

runMain(async () => {
  const config = loadConfig();
  const services = await createServices(config, { failFast: true });
  const server = await startApiServer(config, services);
  logger.info({ port: config.API_PORT }, 'API listening');
  return async () => {
    await new Promise((r) => server.close(r));
    await services.close();
  };
});
