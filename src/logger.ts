/** One structured JSON logger for the API, the worker and the Temporal runtime. */
import pino from 'pino';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'summit-followup' } });
export type Logger = typeof logger;
