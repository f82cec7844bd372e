import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  module: 'writable',
  require: 'readonly',
  __dirname: 'readonly',
  process: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  jest: 'readonly',
};

/*
 * The processor's house rules (docs/architecture.md). ESLint does not merge the options of one
 * rule across config blocks, so each folder's block lists every restriction that applies to it.
 */
const SRC = 'processor/src';
const STRIPE_RUNTIME = {
  name: 'stripe',
  allowTypeImports: true,
  message: 'Only processor/src/stripe/ uses the Stripe SDK at run time; import its types, or a function of stripe/.',
};
const NO_TESTS_OR_SANDBOX = {
  regex: '(^|/)(sandbox|test|testing|bench|jwt-mock)(/|$)',
  message: 'Production code never imports the sandbox, tests, the testing helpers or the bench.',
};
const NO_HTTP = {
  regex: '^(fastify|@fastify/.*)$|(^|/)http(/|$)|(^|/)app$',
  message: 'Use cases know no HTTP: routes call them and render their results.',
};
const inward = (...folders) => ({
  // The composition root (deps, app, main) is matched only as processor/src's own files.
  regex: `/(${folders.filter((f) => !ROOT_FILES.includes(f)).join('|')})(/|$)|^(\\.\\./)+(${ROOT_FILES.join('|')})$`,
  message: 'Points inward: this layer must not know the layers that use it (docs/architecture.md).',
});
const ROOT_FILES = ['deps', 'app', 'main'];
const USE_CASES = ['payments', 'sync', 'operations', 'webhooks'];
const COMPOSITION = ['deps', 'app', 'main', 'cli'];
const ADAPTERS = ['commercetools', 'stripe', 'upstream'];
const restrict = (files, patterns, stripe = true) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { paths: stripe ? [STRIPE_RUNTIME] : [], patterns: [NO_TESTS_OR_SANDBOX, ...patterns] },
    ],
  },
});
const houseRules = [
  restrict([`${SRC}/**/*.ts`], []),
  restrict([`${SRC}/stripe/**/*.ts`], [inward(...USE_CASES, 'http', 'deploy', ...COMPOSITION)], false),
  restrict([`${SRC}/{${USE_CASES.join(',')},deploy}/**/*.ts`], [NO_HTTP, inward(...COMPOSITION)]),
  restrict([`${SRC}/{commercetools,upstream}/**/*.ts`], [inward(...USE_CASES, 'http', 'deploy', ...COMPOSITION)]),
  restrict([`${SRC}/core/**/*.ts`], [inward(...USE_CASES, ...ADAPTERS, 'http', 'deploy', ...COMPOSITION)]),
  restrict([`${SRC}/config/**/*.ts`], [inward(...USE_CASES, ...ADAPTERS, 'core', 'http', 'deploy', ...COMPOSITION)]),
  restrict(
    [`${SRC}/http/routes/**/*.ts`],
    [
      {
        regex: '(^|/)(sync|deploy|cli)(/|$)|(^|/)commercetools/port$|(^|/)stripe/(client|snapshot)$',
        message: 'Routes hold no business logic: they validate, call one use case and answer.',
      },
    ],
  ),
  {
    files: [`${SRC}/**/*.ts`],
    ignores: [`${SRC}/config/**`],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only processor/src/config/ reads the environment.' },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', 'enabler/public/**', '**/node_modules/**', '**/coverage/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // Tests may reach into loosely typed JSON bodies.
    files: ['**/test/**/*.ts', 'processor/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
  ...houseRules,
);
