/** docker-compose.yml publishes the API alone: Temporal's frontend, its UI and the mail inbox stay off the host's interfaces. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

interface Service {
  ports?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
}
const compose = parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service> };
const published = (s: Service) => (s.ports ?? []).map(String);

describe('docker-compose.yml', () => {
  it('publishes only the API on all interfaces', () => {
    const open = Object.entries(compose.services).flatMap(([name, s]) =>
      published(s)
        .filter((p) => !p.startsWith('127.0.0.1:'))
        .map((p) => `${name} ${p}`),
    );
    expect(open).toEqual(['api 3000:3000']);
  });

  it('publishes neither Temporal gRPC nor the mail inbox at all', () => {
    expect(published(compose.services.temporal)).toEqual([]);
    expect(published(compose.services.smtp)).toEqual([]);
  });

  it('offers the Temporal UI only on request (the ops profile), read-only, on loopback', () => {
    const ui = compose.services['temporal-ui'];
    expect(ui.profiles).toEqual(['ops']);
    expect(ui.environment?.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    expect(published(ui).every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('gives the API, the worker and the mailer the one APP_SECRET that seals and verifies acts', () => {
    for (const name of ['api', 'worker', 'mailer'])
      expect(compose.services[name].environment?.APP_SECRET).toMatch(/^\$\{APP_SECRET:\?/);
  });
});
