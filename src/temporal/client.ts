/** The Temporal client used by the API, the seeder and the CLI. */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

export async function connectTemporal(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

/** One workflow per initiative: its id is derived from the initiative's slug. */
export function workflowIdOf(initiativeId: string): string {
  return `initiative-${initiativeId}`;
}
