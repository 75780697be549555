import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { configTable, topicTable } from './readme-sections';

const ROOT = path.resolve(__dirname, '../..');

describe('README generated sections', () => {
  it('are up to date with the env schemas and the topic registry (run `npm run docs` if not)', () => {
    // A subprocess: prettier's API loads its plugins with a dynamic import jest's VM cannot run.
    const check = spawnSync(
      process.execPath,
      ['tools/bin/ts.js', 'tools/docs/readme-sections.ts', '--check'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 30000);

  it('document every variable a service reads, and every topic', () => {
    const config = configTable();
    for (const variable of [
      'KAFKA_BROKERS',
      'SCHEMA_REGISTRY_URL',
      'DATABASE_URL',
      'REDIS_URL',
      'HTTP_PORT',
      'LOG_LEVEL',
    ]) {
      expect(config).toContain(`\`${variable}\``);
    }
    expect(config).toMatch(/`3101` \(enricher\)/);
    expect(topicTable()).toContain('`llm.calls.raw.v1`');
  });
});
