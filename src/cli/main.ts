/** Runs a process's main function, stops it cleanly on SIGINT/SIGTERM, and exits non-zero with a clear message on failure. */
import { ConfigError } from '../config';
import { logger } from '../logger';

export function runMain(main: () => Promise<(() => Promise<void>) | void>): void {
  main()
    .then((stop) => {
      let stopping = false;
      const onSignal = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping');
        Promise.resolve(stop?.())
          .then(() => process.exit(0))
          .catch((err) => {
            logger.error({ err }, 'error while stopping');
            process.exit(1);
          });
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    })
    .catch((err) => {
      if (err instanceof ConfigError) console.error(err.message);
      else logger.error({ err }, 'failed to start');
      process.exit(1);
    });
}
