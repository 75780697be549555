import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_TOPICS, TOPICS, topicPrefix } from './topics';

const SCHEMAS = path.resolve(__dirname, '../../../schemas');

describe('topic registry', () => {
  it('names every topic of DESIGN.md section 1 exactly once', () => {
    expect(ALL_TOPICS.map((t) => t.name).sort()).toEqual(
      [
        'billing.provider-costs.v1',
        'llm.alerts.v1',
        'llm.calls.enriched.v1',
        'llm.calls.priced.v1',
        'llm.calls.quarantine.v1',
        'llm.calls.raw.v1',
        'llm.chargeback.v1',
        'llm.reconciliation.v1',
      ].sort(),
    );
  });

  it.each(ALL_TOPICS.map((t) => [t.name, t] as const))(
    '%s points at its own record schema under <topic>-value',
    (_name, spec) => {
      expect(spec.subject).toBe(`${spec.name}-value`);
      const schema = JSON.parse(readFileSync(path.join(SCHEMAS, spec.schemaFile), 'utf8')) as {
        namespace: string;
        name: string;
      };
      expect(`${schema.namespace}.${schema.name}`).toBe(spec.recordName);
      expect(spec.partitions).toBeGreaterThan(0);
      expect(spec.retentionMs).toBeGreaterThanOrEqual(86_400_000);
    },
  );

  it('keys the call topics by trace_id', () => {
    for (const spec of [TOPICS.rawCalls, TOPICS.enrichedCalls, TOPICS.pricedCalls])
      expect(spec.keyDescription).toBe('trace_id');
  });
});

describe('TOKENTALLY_TOPIC_PREFIX', () => {
  it('is empty by default and takes topic-name characters only', () => {
    expect(topicPrefix(undefined)).toBe('');
    expect(topicPrefix('demo.')).toBe('demo.');
    expect(() => topicPrefix('a b')).toThrow(/TOKENTALLY_TOPIC_PREFIX/);
    expect(() => topicPrefix('x/y')).toThrow(/TOKENTALLY_TOPIC_PREFIX/);
  });
});
