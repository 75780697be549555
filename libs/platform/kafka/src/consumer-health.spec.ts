import { ConsumerHealth } from './consumer-health';

describe('ConsumerHealth', () => {
  it('is up while joining, down with the reason once a batch failed `stalledAfter` times, up again after', async () => {
    let now = 1_000_000;
    const health = new ConsumerHealth('llm.calls.raw.v1', 3, () => now);
    await expect(health.check()).resolves.toBe('joining the consumer group');
    health.started();
    await expect(health.check()).resolves.toBe('running');

    const cases: [string, boolean][] = [
      ['attempt 1', false],
      ['attempt 2', false],
      ['attempt 3', true],
    ];
    for (const [, stalled] of cases) {
      expect(health.failed(4, '117', new Error('invalid byte sequence for encoding "UTF8": 0x00'))).toBe(
        stalled,
      );
      now += 5000;
    }
    expect(health.stalledPartitions()).toEqual([4]);
    await expect(health.check()).rejects.toThrow(
      'llm.calls.raw.v1[4] stalled at offset 117 for 15 s after 3 attempts: invalid byte sequence for encoding "UTF8": 0x00',
    );
    // Another offset on the same partition starts counting again (the stuck batch moved on).
    expect(health.failed(4, '118', new Error('x'))).toBe(false);
    health.succeeded(4);
    await expect(health.check()).resolves.toBe('running');
  });
});
