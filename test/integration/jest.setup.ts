// Integration suites talk to a real broker, registry and database: allow for group joins and restarts.
jest.setTimeout(180_000);
// Services and CLIs started by the suites inherit this: test may use the built-in dev secrets.
process.env['TOKENTALLY_ENV'] ??= 'test';
