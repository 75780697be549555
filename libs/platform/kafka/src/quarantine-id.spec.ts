import { quarantineIdFor } from './quarantine-record.builder';

describe('quarantineIdFor', () => {
  const bytes = Buffer.from([0, 0, 0, 0, 1, 42]);

  it('is stable for a redelivered message', () => {
    expect(quarantineIdFor('enricher', 'llm.calls.raw.v1', 3, '115', bytes)).toBe(
      quarantineIdFor('enricher', 'llm.calls.raw.v1', 3, '115', Buffer.from(bytes)),
    );
    expect(quarantineIdFor('enricher', 't', 0, '1', bytes)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('differs for another message at a reused offset (re-created topic or cluster)', () => {
    expect(quarantineIdFor('enricher', 'llm.calls.raw.v1', 3, '115', bytes)).not.toBe(
      quarantineIdFor('enricher', 'llm.calls.raw.v1', 3, '115', Buffer.from([0, 0, 0, 0, 1, 43])),
    );
  });

  it('differs by stage, topic, partition and offset', () => {
    const base = quarantineIdFor('enricher', 't', 0, '1', bytes);
    expect(
      new Set([
        base,
        quarantineIdFor('pricer', 't', 0, '1', bytes),
        quarantineIdFor('enricher', 'u', 0, '1', bytes),
        quarantineIdFor('enricher', 't', 1, '1', bytes),
        quarantineIdFor('enricher', 't', 0, '2', bytes),
      ]).size,
    ).toBe(5);
  });
});
