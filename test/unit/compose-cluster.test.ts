/**
 * docker-compose.yml cannot run here (no Docker engine), so it is held to what does: it is a valid Compose
 * file (the Compose Specification's schema, vendored in deploy/compose-spec), and it runs the Temporal
 * server and PostgreSQL versions the cluster's provisioning pins, with the cluster's dynamic config file,
 * history shards, namespace retention and search attributes, and gives the service's processes the
 * environment the cluster gives them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { applicationEnvironment, DEFAULT_INSTANCES } from '../../src/stack/cluster';
import {
  DATABASES,
  DYNAMIC_CONFIG_FILE,
  HISTORY_SHARDS,
  NAMESPACE_RETENTION,
  SQL_PLUGIN,
} from '../../src/stack/cluster-temporal';
import { SEARCH_ATTRIBUTES } from '../../src/stack/embedded';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
  deploy?: { replicas?: number };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const { services } = compose;

/** A pinned value of scripts/provision-cluster.sh (NAME=value at the start of a line). */
function pinned(name: string): string {
  const match = new RegExp(`^${name}=(\\S+)$`, 'm').exec(read('scripts/provision-cluster.sh'));
  if (!match) throw new Error(`scripts/provision-cluster.sh pins no ${name}`);
  return match[1];
}
/** The vendored schema, compiled: draft-07, whose formats (durations, ports) Compose describes but does not enforce. */
function composeSchema() {
  const { $schema: _draft, ...schema } = JSON.parse(read('deploy/compose-spec/compose-spec.json')) as Record<
    string,
    unknown
  >;
  return new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
}
const tagOf = (image: string | undefined) => image?.split(':')[1];

describe('docker-compose.yml against the Compose Specification', () => {
  it('is valid under the vendored compose-spec schema', () => {
    const validate = composeSchema();
    // Compose resolves YAML merge keys (<<: *app-env) before it validates.
    const valid = validate(parse(read('docker-compose.yml'), { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema catches what Compose would refuse (so the check above checks something)', () => {
    const validate = composeSchema();
    expect(validate({ services: { api: { image: 'x', restart_policy: 'always' } } })).toBe(false);
    expect(validate({ services: { api: { image: 'x', deploy: { replicas: 1.5 } } } })).toBe(false);
  });
});

describe('docker-compose.yml against the cluster that runs here (npm run start:cluster)', () => {
  const temporal = services.temporal;

  it('runs the Temporal server version the cluster builds, which the pinned CLI embeds', () => {
    const version = pinned('TEMPORAL_SERVER_VERSION');
    expect(temporal.image).toBe(`temporalio/auto-setup:${version}`);
    expect(tagOf(services['temporal-setup'].image)).toBe(version);
  });

  it("runs PostgreSQL of the cluster's major version, through the same driver and databases", () => {
    expect(tagOf(services.postgresql.image)).toBe(pinned('POSTGRES_MAJOR'));
    expect(temporal.environment?.DB).toBe(SQL_PLUGIN);
    // auto-setup's own database names, unless DBNAME / VISIBILITY_DBNAME say otherwise.
    expect(temporal.environment?.DBNAME ?? 'temporal').toBe(DATABASES.persistence);
    expect(temporal.environment?.VISIBILITY_DBNAME ?? 'temporal_visibility').toBe(DATABASES.visibility);
  });

  it("mounts the cluster's own dynamic config file", () => {
    const relative = path.relative(ROOT, DYNAMIC_CONFIG_FILE);
    expect(temporal.volumes).toContain(`./${path.dirname(relative)}:/etc/temporal/config/dynamicconfig:ro`);
    expect(temporal.environment?.DYNAMIC_CONFIG_FILE_PATH).toBe(
      `config/dynamicconfig/${path.basename(DYNAMIC_CONFIG_FILE)}`,
    );
  });

  it('has the same history shards and namespace retention', () => {
    expect(Number(temporal.environment?.NUM_HISTORY_SHARDS)).toBe(HISTORY_SHARDS);
    expect(temporal.environment?.DEFAULT_NAMESPACE_RETENTION).toBe(NAMESPACE_RETENTION);
  });

  it('registers exactly the search attributes the workflows keep, with their types', () => {
    const command = [services['temporal-setup'].command ?? []].flat().join(' ');
    const registered = Object.fromEntries(
      [...command.matchAll(/--name (\w+) --type (\w+)/g)].map(([, name, type]) => [name, type]),
    );
    expect(registered).toEqual(SEARCH_ATTRIBUTES);
  });

  it('runs as many workers and mailers as the cluster', () => {
    expect(services.worker.deploy?.replicas).toBe(DEFAULT_INSTANCES);
    expect(services.mailer.deploy?.replicas).toBe(DEFAULT_INSTANCES);
  });

  it('gives the worker, the mailer and the API every variable the cluster gives them, each one the service reads', () => {
    const given = Object.keys(
      applicationEnvironment({
        temporalAddress: 'x:1',
        mongoPort: 1,
        smtpPort: 1,
        publicUrl: 'http://x',
        secretFile: '/x',
      }),
    ).map((key) => (key === 'APP_SECRET_FILE' ? 'APP_SECRET' : key));
    for (const name of ['worker', 'mailer', 'api']) {
      const env = services[name].environment ?? {};
      // API_HOST matters to the API alone; compose leaves the others at the default.
      expect({ name, missing: given.filter((key) => !(key in env) && (key !== 'API_HOST' || name === 'api')) }).toEqual(
        { name, missing: [] },
      );
      // Interpolations (${APP_SECRET:?...}) stand for a value the operator supplies.
      const values = Object.fromEntries(
        Object.entries(env).map(([key, value]) => [key, String(value).startsWith('${') ? 'x'.repeat(40) : value]),
      );
      const config = loadConfig(values);
      expect({ name, unknown: Object.keys(values).filter((key) => !(key in config)) }).toEqual({ name, unknown: [] });
    }
  });
});
