/**
 * `npm run import -- FILE`: loads a summit data file (directory and initiatives) into a running deployment.
 * Safe to repeat: directory entries are upserted and an initiative already started is left as it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config';
import { dayOf } from '../domain/delegation';
import { actorOf } from '../service/initiatives';
import { createServices } from '../server';
import { loadSummit } from '../seed/load';
import { readSummitFile, SummitFileError } from '../seed/summit-file';

async function main(argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file || argv.length > 1) {
    console.error('usage: npm run import -- FILE   (a summit data file such as data/tashkent-2025.json)');
    return 2;
  }
  const summit = await readSummitFile(path.resolve(file));
  // Starts are sealed with the deployment's secret, as the API seals them; beside `npm start` it is the data folder's.
  const localSecret = path.resolve(process.env.DATA_DIR ?? path.join(__dirname, '..', '..', '.data'), 'secret');
  const config = loadConfig(
    process.env.APP_SECRET || process.env.APP_SECRET_FILE || !fs.existsSync(localSecret)
      ? process.env
      : { ...process.env, APP_SECRET_FILE: localSecret },
  );
  const services = await createServices(config);
  try {
    const fromFile = summit.people.find((p) => p.roles.includes('secretariat'));
    const person =
      (await services.directory.withRole('secretariat'))[0] ?? (fromFile && { ...fromFile, _id: fromFile.id });
    if (!person)
      throw new SummitFileError(
        'no Secretariat account in the directory or the file: the import acts as the Secretariat',
      );
    const report = await loadSummit(
      summit,
      services.models,
      services.service,
      actorOf(person, dayOf(new Date(), config.SECRETARIAT_TIME_ZONE)),
    );
    console.log(
      `${summit.summit.title}: ${report.states} states, ${report.people} people; ${report.started.length} initiatives started, ${report.existing.length} already running`,
    );
    for (const id of report.started) console.log(`  started ${id}`);
    return 0;
  } finally {
    await services.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof SummitFileError ? err.message : `import failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
