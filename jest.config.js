// Two jest projects: `unit` (*.spec.ts: pure logic, microseconds, no I/O) and `integration`
// (*.int-spec.ts: real Kafka, registry, Postgres, Redis; run in band, see tools/test/run-tests.ts).
const { compilerOptions } = require('./tsconfig.base.json');
const path = require('node:path');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(__dirname, target),
  ]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // hyparquet and hyparquet-writer ship ES modules only: compile them to CommonJS like our own code
  transform: { '^.+\\.ts$': swc, '/node_modules/hyparquet[^/]*/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet)'],
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/.stack/', '<rootDir>/dist/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,tools,deploy,test}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,tools,deploy,test}/**/*.int-spec.ts'],
      // testTimeout is a global option; per project the timeout is set in a setup file.
      setupFilesAfterEnv: ['<rootDir>/test/integration/jest.setup.ts'],
    },
  ],
};
