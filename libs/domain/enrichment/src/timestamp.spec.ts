import { parseRawEventJson } from './raw-event-json';
import { parseTimestamp } from './timestamp';
import { validateRawEvent } from './validation';

describe('event times: RFC 3339 with an offset or integer epoch milliseconds, nothing guessed', () => {
  it.each([
    ['UTC with Z', '2026-11-24T10:00:00Z', Date.UTC(2026, 10, 24, 10)],
    ['lower-case z and a space', '2026-11-24 10:00:00z', Date.UTC(2026, 10, 24, 10)],
    ['milliseconds', '2026-11-24T10:00:00.123Z', Date.UTC(2026, 10, 24, 10, 0, 0, 123)],
    ['microseconds truncated', '2026-11-24T10:00:00.123999Z', Date.UTC(2026, 10, 24, 10, 0, 0, 123)],
    ['one fraction digit', '2026-11-24T10:00:00.5Z', Date.UTC(2026, 10, 24, 10, 0, 0, 500)],
    ['positive offset', '2026-11-24T11:30:00+01:30', Date.UTC(2026, 10, 24, 10)],
    ['negative offset', '2026-11-24T05:00:00-05:00', Date.UTC(2026, 10, 24, 10)],
    ['offset across midnight', '2026-12-01T00:30:00+01:00', Date.UTC(2026, 10, 30, 23, 30)],
    ['leap day', '2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['epoch milliseconds', 1_790_000_000_000, 1_790_000_000_000],
  ])('%s: %s', (_name, input, millis) => {
    expect(parseTimestamp(input)).toEqual({ ok: true, millis });
  });

  it.each([
    ['30 February (Date.parse: 2 March)', '2026-02-30T10:00:00Z'],
    ['29 February of a common year', '2026-02-29T10:00:00Z'],
    ['31 April', '2026-04-31T10:00:00Z'],
    ['month 13', '2026-13-01T10:00:00Z'],
    ['a bare year (Date.parse: 1 January)', '2021'],
    ['a date without a time', '2026-11-24'],
    ['no offset (server zone)', '2026-11-24T10:00:00'],
    ['US date', '12/01/2026 20:00'],
    ['RFC 2822', 'Tue, 24 Nov 2026 10:00:00 GMT'],
    ['hour 24', '2026-11-24T24:00:00Z'],
    ['minute 60', '2026-11-24T10:60:00Z'],
    ['offset hour 24', '2026-11-24T10:00:00+24:00'],
    ['offset without colon', '2026-11-24T10:00:00+0100'],
    ['words', 'last tuesday'],
    ['epoch ms as text', '1790000000000'],
    ['epoch ms with a fraction', 1_790_000_000_000.5],
    ['beyond a safe integer', 2 ** 60],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['an object', { seconds: 1 }],
  ])('refuses %s', (_name, input) => {
    expect(parseTimestamp(input)).toMatchObject({ ok: false });
  });

  it('JSON ingest names the field and the value', () => {
    const event = {
      event_id: 'e1',
      trace_id: 't1',
      feature: 'f',
      environment: 'prod',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    for (const occurred_at of ['2026-02-30T10:00:00Z', '2021', 1_790_000_000_000.5]) {
      expect(parseRawEventJson({ ...event, occurred_at })).toMatchObject({
        ok: false,
        rejection: { reason: 'INVALID_VALUE', field: 'occurred_at' },
      });
    }
  });

  it('validation refuses a fractional time from any source (it cannot be an Avro long)', () => {
    const parsed = parseRawEventJson({
      event_id: 'e1',
      trace_id: 't1',
      occurred_at: 1_790_000_000_000,
      feature: 'f',
      environment: 'prod',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    if (!parsed.ok) throw new Error(parsed.rejection.message);
    const event = { ...parsed.value.event, occurred_at: 1_790_000_000_000.25 };
    expect(validateRawEvent(event, 1_800_000_000_000)).toMatchObject({
      ok: false,
      rejection: { field: 'occurred_at' },
    });
  });
});
