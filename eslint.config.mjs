// One lint config for the whole monorepo. Module boundaries are enforced by Nx tags:
//   type:app       services and the CLI: may use domain, contracts, platform, adapters (their specs
//                  also the test fakes of type:testing)
//   type:domain    pure logic: only domain and contracts, and no I/O or framework packages
//   type:contracts Avro-derived types and the topic registry: depends on nothing
//   type:platform  the one way to do each kind of I/O (pool, transactions, Kafka...): platform and
//                  contracts; knows no business rule
//   type:adapter   storage of one business area (repositories implementing the domain's ports):
//                  domain, platform, contracts, and other adapters
//   type:sdk       the producer SDK users import: platform, contracts, domain
//   type:testing   test helpers: platform, contracts, domain
//   type:e2e       cross-service suites under test/: anything
//   type:tool      repo tooling (stack, codegen, test runner, bench, demo): anything but apps
// tools/check-project-tags.ts fails the lint when a project has no type tag.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const ioAndFrameworkPackages = [
  '@nestjs/*',
  'kafkajs',
  '@kafkajs/*',
  'pg',
  'pg-copy-streams',
  'pg-*',
  'ioredis',
  'avsc',
  'express',
  'prom-client',
];

/** Nx tag rules; `appExtras`: what a service may use beyond them (its specs may use the test fakes). */
const boundaries = (appExtras = []) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allowCircularSelfDependency: false,
    // A service's env schema is its published contract: tools (README table, CLI) may read it.
    allow: ['^(\\.\\./)+services/[a-z-]+/src/config$'],
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: [
          'type:domain',
          'type:contracts',
          'type:platform',
          'type:adapter',
          ...appExtras,
        ],
      },
      {
        sourceTag: 'type:domain',
        onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
        bannedExternalImports: ioAndFrameworkPackages,
      },
      {
        sourceTag: 'type:contracts',
        onlyDependOnLibsWithTags: [],
        bannedExternalImports: ioAndFrameworkPackages,
      },
      { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
      {
        sourceTag: 'type:adapter',
        onlyDependOnLibsWithTags: ['type:adapter', 'type:domain', 'type:platform', 'type:contracts'],
      },
      {
        sourceTag: 'type:sdk',
        onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'],
      },
      {
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: [
          'type:platform',
          'type:contracts',
          'type:domain',
          'type:adapter',
          'type:testing',
        ],
      },
      {
        sourceTag: 'type:tool',
        onlyDependOnLibsWithTags: [
          'type:platform',
          'type:contracts',
          'type:domain',
          'type:adapter',
          'type:sdk',
          'type:testing',
          'type:tool',
        ],
      },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
    ],
  },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '.stack/**', '.nx/**', 'dist/**', 'coverage/**', '**/*.js', '**/*.mjs'],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // a service's fast specs run its pipelines against the in-memory fakes of libs/testing
    files: ['services/**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testing']) },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
