/** Entry point of the worker process, and of the mailer process with `--mail`. */
import { loadConfig } from '../config';
import { logger } from '../logger';
import { createMailWorker, createWorker } from '../worker';
import { runMain } from './main';

const mail = process.argv.includes('--mail');

runMain(async () => {
  const config = loadConfig();
  const { worker, close } = await (mail ? createMailWorker(config) : createWorker(config));
  const running = worker.run();
  logger.info({ taskQueue: worker.options.taskQueue }, mail ? 'mailer running' : 'worker running');
  return async () => {
    worker.shutdown();
    await running;
    await close();
  };
});
