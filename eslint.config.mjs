// Lint is the architecture written down: what each layer may import, and no promise left floating.
// `npm run lint` (run by `npm test`); the reasons are in each rule's message.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const IO_PACKAGES = ['mongoose', 'mongodb', 'express', 'nodemailer', 'pino', 'prom-client', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];
const NODE = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** No import from src/api or src/web: data flows down, and the use cases know nothing of HTTP. */
const notUp = { regex: '(^|/)(api|web)(/|$)', message: 'layers below the API import nothing from src/api or src/web: put what both need in src/app or src/domain' };
/** Deterministic code: no Node built-in and no I/O package (the workflow bundle includes src/domain). */
const pure = [
  ...NODE.map((name) => ({ name, message: 'src/domain and workflows/ are deterministic and run in the workflow sandbox: no Node built-ins' })),
  ...IO_PACKAGES.map((name) => ({ name, message: 'src/domain and workflows/ do no I/O: activities and services do' })),
];
/** MongoDB is reached through src/persistence alone (types may be named elsewhere). */
const noMongoose = [{ name: 'mongoose', message: 'only src/persistence talks to MongoDB: add a repository function there', allowTypeImports: true }];
/** Nor are its models handed around: callers get repositories (createOutboxRepository, createDirectory, ...), whose methods name the intent. */
const noModels = {
  regex: '(^|/)persistence/',
  importNamePattern: 'Models?(Of)?$',
  message: 'only src/persistence and the composition roots (src/server.ts, src/worker.ts) handle models: take a repository from src/persistence and call its intent methods',
};
/**
 * What a mongoose model is called with (`.find()` and `.exists()` reads end in `.lean()`): outside src/persistence such a call is a
 * query or a write a repository should name. Array#find, Worker.create and the read model's exists() are not caught.
 */
const MODEL_METHODS = ['lean', 'findById', 'findOne', 'findOneAndUpdate', 'updateOne', 'updateMany', 'replaceOne', 'insertMany', 'deleteOne', 'deleteMany', 'countDocuments', 'bulkWrite', 'aggregate'];
const noModelCalls = [
  'error',
  {
    selector: `CallExpression[callee.type='MemberExpression'][callee.property.name=/^(${MODEL_METHODS.join('|')})$/]`,
    message: 'a model method outside src/persistence: add an intent method to the repository of that collection and call it',
  },
];
/** Composition roots: they build the models and the repositories on them. */
const ROOTS = ['src/server.ts', 'src/worker.ts'];
/**
 * Not yet behind repositories: they still take models or call them (being rewritten, or waiting for one). Each should leave
 * this list; the repositories have what they need (see src/persistence/directory.ts, credentials.ts, initiatives.ts, outbox.ts).
 */
const NOT_YET = [
  'src/service/sign-in.ts',
  'src/seed/**',
  'src/app/credential-cache.ts',
  'src/api/deps.ts',
  'src/api/auth.ts',
  'src/api/session.ts',
  'src/api/metrics.ts',
];

const restricted = (paths, patterns = []) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.test-results/**', 'docs/**', 'src/api/static/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  { files: ['src/**/*.ts', 'activities/**/*.ts'], ignores: ['src/persistence/**'], rules: { '@typescript-eslint/no-restricted-imports': restricted(noMongoose, [noModels]) } },
  { files: ['src/**/*.ts', 'activities/**/*.ts'], ignores: ['src/persistence/**', ...ROOTS, ...NOT_YET], rules: { 'no-restricted-syntax': noModelCalls } },
  { files: [...ROOTS, ...NOT_YET], ignores: ['src/service/**', 'src/seed/**', 'src/app/**'], rules: { '@typescript-eslint/no-restricted-imports': restricted(noMongoose) } },
  {
    files: ['src/service/**/*.ts', 'src/persistence/**/*.ts', 'src/seed/**/*.ts', 'src/email/**/*.ts', 'src/app/**/*.ts', 'activities/**/*.ts'],
    ignores: ['src/persistence/**', ...NOT_YET],
    rules: { '@typescript-eslint/no-restricted-imports': restricted(noMongoose, [notUp, noModels]) },
  },
  { files: NOT_YET.filter((f) => /^src\/(service|seed|app)\//.test(f)), rules: { '@typescript-eslint/no-restricted-imports': restricted(noMongoose, [notUp]) } },
  { files: ['src/persistence/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': restricted([], [notUp]) } },
  { files: ['src/domain/**/*.ts', 'workflows/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': restricted(pure, [notUp]) } },
);
