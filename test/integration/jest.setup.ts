// Integration suites talk to a real broker, registry and database: allow for group joins and restarts.
jest.setTimeout(180_000);
