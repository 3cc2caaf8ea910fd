// A process of the stack that can be stopped, crashed and started again with the same command, on
// the same ports and data: what `npm start` keeps running, and what the fault-injection suite
// (test/faults) stops and kills on purpose.
import type { Child } from './child';

export interface Service {
  readonly name: string;
  /** Its current process; each start replaces it. */
  readonly child: Child;
  /** True while its current process has not exited. */
  readonly running: boolean;
  /** SIGTERM, then SIGKILL after graceMs; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Sends a signal (default SIGKILL: a crash) and resolves when it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again with the same command and resolves once it is ready; nothing when it is running. */
  start(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
}

/**
 * `spawn` starts one process; `ready` resolves when that process serves (and throws, naming the
 * service, when it exits first). Nothing runs before the first start().
 */
export function restartableService(name: string, spawn: () => Child, ready: (child: Child) => Promise<void>): Service {
  let child: Child | undefined;
  let starting: Promise<void> | undefined;
  const service: Service = {
    name,
    get child() {
      if (!child) throw new Error(`${name} was never started`);
      return child;
    },
    get running() {
      return Boolean(child && !child.exit);
    },
    stop: async (graceMs = 5000) => {
      await child?.stop(graceMs);
    },
    kill: async (signal = 'SIGKILL') => {
      await child?.kill(signal);
    },
    start() {
      if (child && !child.exit) return starting ?? Promise.resolve();
      const current = spawn();
      child = current;
      starting = ready(current).finally(() => {
        if (child === current) starting = undefined;
      });
      return starting;
    },
    async restart() {
      await service.stop();
      await service.start();
    },
  };
  return service;
}
