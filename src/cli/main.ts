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

/** The port in environment variable `name`, or `fallback` when it is unset; throws naming a bad one. */
export function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${raw} is not a port number (1-65535)`);
  return n;
}

/**
 * On the first SIGINT or SIGTERM: says so, runs `stop` (every process it started) and exits, 0 when
 * everything stopped and 1 when something failed to. Later signals are ignored while it stops.
 */
export function stopOnSignal(stop: () => Promise<void>, log: (line: string) => void): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log('\nstopping every process …');
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
