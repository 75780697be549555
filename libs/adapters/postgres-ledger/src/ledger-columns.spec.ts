import type { PricedCallEvent } from '@tokentally/contracts';
import { LEDGER_COLUMN_NAMES, ledgerCsvLine } from './ledger-columns';

describe('ledgerCsvLine', () => {
  it('writes NULL as an empty field, quotes what CSV needs quoted, and one field per column', () => {
    const event = {
      event_id: 'e,1',
      occurred_at: Date.UTC(2026, 10, 5, 12),
      trace_id: 'say "hi"',
      span_id: null,
      feature: '',
      is_retry: true,
      buckets: { uncached_input: 10, units: { web_search_requests: 2 } },
      cost: { total_nanos: 123 },
      priced_at: Date.UTC(2026, 10, 5, 12, 0, 1),
    } as unknown as PricedCallEvent;
    const line = ledgerCsvLine(event, '2026-11');
    expect(line.endsWith('\n')).toBe(true);
    expect(line.startsWith('"e,1",2026-11-05T12:00:00.000Z,2026-11,"say ""hi""",,')).toBe(true);
    expect(line).toContain(',"{""web_search_requests"":2}",');
    expect(line).toContain(',"",'); // the empty feature is '', not NULL
    expect(line).toContain(',t,f,'); // is_retry, is_fallback (absent: false)
    expect(line.trimEnd().endsWith(',2026-11-05T12:00:01.000Z')).toBe(true);
    // commas inside quotes aside, one field per ledger column
    const fields =
      line
        .trimEnd()
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)
        ?.filter((f) => f !== '') ?? [];
    expect(fields).toHaveLength(LEDGER_COLUMN_NAMES.length);
  });
});
