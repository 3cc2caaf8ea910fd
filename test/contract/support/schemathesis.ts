/**
 * Runs Schemathesis (installed by scripts/provision-contract-tester.sh) against a served OpenAPI document and
 * reads its verdict from the JSON run report it writes, not from its terminal output. Its terminal output, the
 * failure report with a curl line to reproduce each failure, is kept in a file and shown when a run fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CONFIG = path.join(ROOT, 'test', 'contract', 'schemathesis.toml');
const HOOKS = path.join(ROOT, 'test', 'contract', 'hooks.py');
/** Where each run's reports and output are kept after the suite ends (CI keeps .test-results). */
export const REPORTS_DIR = path.join(ROOT, '.test-results', 'contract');

/** The checks every run makes: the document is the contract, both ways. */
export const CHECKS = [
  'not_a_server_error', // no 5xx other than a documented 503
  'status_code_conformance', // every status answered is documented for the operation
  'content_type_conformance', // and with a documented media type
  'response_schema_conformance', // and a body its schema accepts
  'response_headers_conformance', // and the documented headers
  // A request the schema accepts is not refused as malformed (400, 422), but for a rule the document names as
  // beyond JSON Schema (x-server-rule): Schemathesis' positive_data_acceptance, narrowed in hooks.py.
  'positive_data_acceptance_beyond_server_rules',
  'negative_data_rejection', // a request the schema refuses is refused with a 4xx
  'missing_required_header', // a missing required header is refused
  'unsupported_method', // a method the path does not declare is refused (405)
  'allow_header_conformance', // and the 405 says which it does take (Allow)
];

/** The path of `st`, installed on first use (about a minute, then cached outside the checkout). */
export function provisionSchemathesis(): string {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'provision-contract-tester.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop()!;
}

export interface RunOptions {
  /** Names the run's report folder. */
  label: string;
  /** The served document, e.g. http://127.0.0.1:PORT/openapi.json (its `servers` URL is the API's). */
  schemaUrl: string;
  /** For schemathesis.toml: CONTRACT_TOKEN, the credential of the run, and CONTRACT_DISPOSABLE_TOKEN. */
  env: Record<string, string>;
  /** Operations by exact path ("/api/me/sign-out-everywhere"); excludePaths is applied after includePaths. */
  includePaths?: string[];
  excludePaths?: string[];
  includeMethods?: string[];
  maxExamples: number;
  seed: number;
  phases?: string[];
  /** Extra arguments for `st run`. */
  args?: string[];
}

/** The JSON run report (schemathesis/cli/json_report.py), the parts read here. */
export interface RunReport {
  schemathesis_version: string;
  seed: number | null;
  running_time: number;
  stop_reason: string;
  complete: boolean;
  exit_code: number;
  operations: { total: number; selected: number; tested: number; errored: number; skipped: number } | null;
  test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
  failures: { type: string; code: string; title: string; count: number; operations: string[] }[];
  errors: { title: string; count: number }[];
  warnings: string[];
}

export interface RunResult {
  label: string;
  report: RunReport;
  /** Schemathesis' own terminal output: the failure report, with a curl command per failure. */
  output: string;
  outputFile: string;
  seconds: number;
}

export async function runSchemathesis(st: string, opts: RunOptions): Promise<RunResult> {
  const dir = path.join(REPORTS_DIR, opts.label);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const reportFile = path.join(dir, 'report.json');
  const outputFile = path.join(dir, 'output.txt');
  const args = [
    '--config-file',
    CONFIG,
    'run',
    opts.schemaUrl,
    '--checks',
    CHECKS.join(','),
    '--phases',
    (opts.phases ?? ['examples', 'coverage', 'fuzzing']).join(','),
    '--max-examples',
    String(opts.maxExamples),
    // The same requests on every run (a fixed seed, no examples remembered from earlier runs): a failure in CI
    // is the failure a developer gets again.
    '--seed',
    String(opts.seed),
    '--generation-database',
    'none',
    // One worker: with two threads, CPython 3.11 sometimes fails inside Schemathesis ("AST constructor
    // recursion depth mismatch"), a runtime error of the tester, not a finding; the server is the bottleneck anyway.
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--report',
    'json,junit',
    '--report-dir',
    dir,
    '--report-json-path',
    reportFile,
    '--no-color',
    '--output-truncate',
    'false',
    ...(opts.includePaths ?? []).flatMap((p) => ['--include-path', p]),
    ...(opts.excludePaths ?? []).flatMap((p) => ['--exclude-path', p]),
    ...(opts.includeMethods ?? []).flatMap((m) => ['--include-method', m]),
    ...(opts.args ?? []),
  ];
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(st, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env, SCHEMATHESIS_HOOKS: HOOKS, PYTHONUNBUFFERED: '1', COLUMNS: '120' },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  fs.writeFileSync(outputFile, output);
  if (!fs.existsSync(reportFile))
    throw new Error(`schemathesis wrote no report (${reportFile}); its output:\n${output}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as RunReport;
  return { label: opts.label, report, output, outputFile, seconds: (Date.now() - started) / 1000 };
}

/** One line for the log: what ran and what it found. */
export function summary(run: RunResult): string {
  const r = run.report;
  return (
    `${run.label}: schemathesis ${r.schemathesis_version}, seed ${r.seed}, ${r.operations?.tested ?? 0} operations, ` +
    `${r.test_cases.generated} generated test cases, ${r.test_cases.unique_failures} unique failures, ` +
    `${r.errors.length} errors, ${run.seconds.toFixed(0)} s (stop: ${r.stop_reason})`
  );
}

/** Why a run does not pass, with Schemathesis' own failure report; undefined when it passes. */
export function problemsOf(run: RunResult): string | undefined {
  const r = run.report;
  const bad =
    !r.complete ||
    r.exit_code !== 0 ||
    r.failures.length > 0 ||
    r.errors.length > 0 ||
    (r.operations?.errored ?? 0) > 0 ||
    r.test_cases.generated === 0;
  if (!bad) return undefined;
  const failures = r.failures.map((f) => `  ${f.title} (${f.code}) ×${f.count}: ${f.operations.join(', ')}`);
  const errors = r.errors.map((e) => `  error: ${e.title} ×${e.count}`);
  return [
    summary(run),
    ...failures,
    ...errors,
    `Schemathesis' report (also in ${path.relative(ROOT, run.outputFile)}):`,
    run.output,
  ].join('\n');
}
