/** Entry point of the worker process. */
import { loadConfig } from '../config';
import { logger } from '../logger';
import { createWorker } from '../worker';
import { runMain } from './main';

runMain(async () => {
  const config = loadConfig();
  const { worker, close } = await createWorker(config);
  const running = worker.run();
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  return async () => {
    worker.shutdown();
    await running;
    await close();
  };
});
