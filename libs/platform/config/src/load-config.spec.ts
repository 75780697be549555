import { z } from 'zod';
import { ConfigError, describeConfig, loadConfig } from './load-config';
import { httpEnv, kafkaEnv } from './env-fields';

const schema = z.object({ ...kafkaEnv, ...httpEnv(3101) });

describe('loadConfig', () => {
  it('applies documented defaults when nothing is set', () => {
    const config = loadConfig('enricher', schema, {});
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.HTTP_PORT).toBe(3101);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('parses lists and numbers from strings', () => {
    const config = loadConfig('enricher', schema, { KAFKA_BROKERS: 'a:1, b:2', HTTP_PORT: '4000' });
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.HTTP_PORT).toBe(4000);
  });

  it('reports every bad variable by name, with the offending value', () => {
    let error: unknown;
    try {
      loadConfig('enricher', schema, { KAFKA_BROKERS: 'nohostport', HTTP_PORT: '99999', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/KAFKA_BROKERS: .*host:port.*"nohostport"/);
    expect(problems).toMatch(/HTTP_PORT: .*"99999"/);
    expect(problems).toMatch(/LOG_LEVEL: .*"loud"/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('describes variables with defaults for docs and --help', () => {
    const rows = describeConfig(schema);
    expect(rows).toContainEqual(expect.objectContaining({ name: 'HTTP_PORT', default: '3101' }));
    expect(rows.find((r) => r.name === 'SCHEMA_REGISTRY_URL')?.description).toMatch(/registry/);
  });
});
