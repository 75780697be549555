import { ledgerCompleteness, type PartitionProgress } from './completeness';

const NOW = Date.UTC(2026, 11, 2, 14, 40, 0);
const p = (
  partition: number,
  lag: number,
  oldest: number | null = null,
  topic = 'llm.calls.enriched.v1',
): PartitionProgress => ({
  group: 'tokentally-pricer',
  topic,
  partition,
  lag,
  oldest_in_flight_ms: oldest,
});

describe('ledgerCompleteness', () => {
  it('is complete through now when nothing is in flight', () => {
    expect(ledgerCompleteness([p(0, 0), p(1, 0)], NOW)).toEqual({
      complete_through: '2026-12-02T14:40:00.000Z',
      basis: 'caught_up',
      in_flight: 0,
      slowest: null,
    });
  });

  it('is complete through the instant before the oldest event still in flight, on any stage', () => {
    const oldest = Date.UTC(2026, 11, 2, 14, 32, 10, 1);
    const result = ledgerCompleteness(
      [p(0, 5, Date.UTC(2026, 11, 2, 14, 39)), p(1, 0), p(2, 3, oldest, 'llm.calls.raw.v1')],
      NOW,
    );
    expect(result).toEqual({
      complete_through: '2026-12-02T14:32:10.000Z',
      basis: 'in_flight',
      in_flight: 8,
      slowest: {
        group: 'tokentally-pricer',
        topic: 'llm.calls.raw.v1',
        partition: 2,
        lag: 3,
        oldest_in_flight: '2026-12-02T14:32:10.001Z',
      },
    });
  });

  it('never claims a time after now, even for an event stamped in the future', () => {
    expect(ledgerCompleteness([p(0, 1, NOW + 3_600_000)], NOW).complete_through).toBe(
      '2026-12-02T14:40:00.000Z',
    );
  });

  it('says unknown when events are in flight but none of their times could be read', () => {
    expect(ledgerCompleteness([p(0, 4, null), p(1, 0)], NOW)).toMatchObject({
      complete_through: null,
      basis: 'unknown',
      in_flight: 4,
    });
  });
});
