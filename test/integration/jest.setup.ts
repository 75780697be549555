// Integration suites talk to a real broker, registry and database: allow for group joins and restarts.
jest.setTimeout(180_000);
// Services and CLIs started by the suites inherit this: test may use the built-in dev secrets.
process.env['TOKENTALLY_ENV'] ??= 'test';

// Topics of their own, so a later `npm start` never books test calls (set before any suite imports
// @tokentally/contracts; services and the CLI started by the suites inherit it).
process.env['TOKENTALLY_TOPIC_PREFIX'] ??= 'test.';
