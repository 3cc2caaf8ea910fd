/** The Temporal client used by the API, the seeder and the CLI. */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Config } from '../config';

/** `options.failFast`: give up on an unreachable server after about 2 s instead of the SDK's 10 attempts (about 20 s), so the API answers 503 while the person still waits. */
export async function connectTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>,
  options: { failFast?: boolean } = {},
): Promise<Client> {
  const interceptors = options.failFast
    ? [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 5 }))]
    : undefined;
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, interceptors });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

/** One workflow per initiative: its id is derived from the initiative's slug. */
export function workflowIdOf(initiativeId: string): string {
  return `initiative-${initiativeId}`;
}
