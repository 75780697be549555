import { buildQuarantineRecord, quarantineIdFor } from './quarantine-record.builder';

describe('buildQuarantineRecord', () => {
  const source = {
    topic: 'llm.calls.raw.v1',
    partition: 2,
    offset: '41',
    key: 'trace-k',
    value: Buffer.from([0, 1]),
  };

  it.each([
    ['event and trace given', { event_id: 'e1', trace_id: 't1' }, { event_id: 'e1', trace_id: 't1' }],
    [
      'blank ids fall back to null and the key',
      { event_id: '', trace_id: '' },
      { event_id: null, trace_id: 'trace-k' },
    ],
    ['nothing known (undecodable)', {}, { event_id: null, trace_id: 'trace-k' }],
  ])('%s', (_, ids, expected) => {
    const record = buildQuarantineRecord(
      source,
      { reason: 'INVALID_VALUE', message: 'model: bad', ...ids },
      { stage: 'pricer', now: 7 },
    );
    expect(record).toEqual({
      quarantine_id: quarantineIdFor('pricer', 'llm.calls.raw.v1', 2, '41', source.value),
      ...expected,
      stage: 'pricer',
      reason: 'INVALID_VALUE',
      message: 'model: bad',
      source_topic: 'llm.calls.raw.v1',
      source_partition: 2,
      source_offset: 41,
      original_payload: source.value,
      payload_encoding: 'avro_confluent',
      sealed: false,
      quarantined_at: 7,
      attempts: 0,
    });
  });

  it('keeps a tombstone as empty bytes', () => {
    const record = buildQuarantineRecord(
      { ...source, value: null },
      { reason: 'UNDECODABLE', message: 'tombstone', payload_encoding: 'unknown' },
      { stage: 'enricher', now: 1 },
    );
    expect(record.original_payload).toEqual(Buffer.alloc(0));
    expect(record.payload_encoding).toBe('unknown');
  });
});
