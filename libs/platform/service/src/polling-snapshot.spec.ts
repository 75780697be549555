import { silentLogger } from '@tokentally/platform-observability';
import { PollingSnapshot } from './polling-snapshot';

describe('PollingSnapshot', () => {
  it('loads only when the version moved, and keeps the last snapshot when a refresh fails', async () => {
    let version = 1n;
    let loads = 0;
    let failing = false;
    const snapshot = new PollingSnapshot<string>(
      'test data',
      {
        version: async () => {
          if (failing) throw new Error('connection terminated');
          return version;
        },
        load: async () => {
          loads += 1;
          return { version, value: `v${version}` };
        },
      },
      'empty',
      silentLogger,
    );
    expect(snapshot.current).toBe('empty');
    expect(await snapshot.refresh()).toBe(true);
    expect(await snapshot.refresh()).toBe(false);
    expect([snapshot.current, loads]).toEqual(['v1', 1]);
    version = 2n;
    failing = true;
    await expect(snapshot.refresh()).rejects.toThrow('connection terminated');
    expect(snapshot.current).toBe('v1');
    failing = false;
    expect(await snapshot.refresh()).toBe(true);
    expect([snapshot.current, loads]).toEqual(['v2', 2]);
  });
});
