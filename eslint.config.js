import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'process',
  'timers',
];

// Layers (ARCHITECTURE.md): nothing below api/ imports it; a route never imports another route.
const API_LAYER = ['**/api', '**/api/**'];
const NO_API = 'api/ is the top layer: move what you need into domain/ or db/.';
/** Routes never import other routes (or activity values): shared code lives in domain/, db/ or api/render/. */
const ROUTE_RULE_LEVEL = 'error';
/** EntityManager and connection calls that run SQL or open a transaction. */
const ROUTE_FORBIDDEN_CALLS =
  '^(execute|transactional|begin|commit|rollback|getConnection|createQueryBuilder|qb|nativeInsert|nativeUpdate|nativeDelete|insertMany|upsert|upsertMany|flush|persistAndFlush|lock)$';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests read loosely-typed JSON responses.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain-JavaScript checks of the Docker build (run by node before and after compiling).
    files: ['scripts/docker/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    // Workflow code must stay deterministic: activity types only, no Node built-ins, no I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]),
          patterns: [
            { group: ['../activities/*', '../db/*', '../worker/*'], allowTypeImports: true },
            { group: API_LAYER, message: NO_API },
            { group: ['@mikro-orm/*', 'pg', 'nodemailer', '@temporalio/client', '@temporalio/worker'] },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use workflow-deterministic sources.' },
        { object: 'Date', property: 'now', message: 'Use workflow time only via @temporalio/workflow.' },
      ],
    },
  },
  {
    // activities, db and domain sit below api/ and never import it.
    files: ['activities/**/*.ts', 'db/**/*.ts', 'domain/**/*.ts', 'worker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: API_LAYER, message: NO_API }] }],
    },
  },
  {
    // A route parses, authorises, calls a command or starts a workflow, renders: shared code lives below api/.
    files: ['api/routes/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        ROUTE_RULE_LEVEL,
        {
          selector: `CallExpression[callee.property.name=/${ROUTE_FORBIDDEN_CALLS}/]`,
          message:
            'Routes run no SQL and open no transaction: call a command (domain/) or a store read (db/store/).',
        },
      ],
      'no-restricted-imports': [
        ROUTE_RULE_LEVEL,
        {
          patterns: [
            {
              group: ['./*', '../routes/*'],
              message: 'Routes never import routes: move shared code to domain/, db/ or api/openapi.ts.',
            },
            {
              group: ['../../activities/*'],
              allowTypeImports: true,
              message: 'Routes call commands (domain/), not activities.',
            },
          ],
        },
      ],
    },
  },
);
