import {
  brokenHopOf,
  buildCoverage,
  coverageReport,
  isoWeek,
  isoWeekOf,
  type UnownedSender,
} from './coverage';

const sender = (over: Partial<UnownedSender>): UnownedSender => ({
  apiKeyId: null,
  serviceAccount: null,
  gatewayId: null,
  workflow: null,
  environment: null,
  calls: 1n,
  nanos: 0n,
  ...over,
});

describe('isoWeek', () => {
  it.each([
    ['2026-W47', '2026-11-16', '2026-11-22'],
    ['2026-W01', '2025-12-29', '2026-01-04'],
    ['2026-W53', '2026-12-28', '2027-01-03'],
    ['2021-W01', '2021-01-04', '2021-01-10'],
  ])('%s is %s to %s', (label, from, to) => {
    expect(isoWeek(label)).toEqual({ week: label, from, to });
    expect(isoWeekOf(Date.parse(`${from}T00:00:00Z`))).toBe(label);
    expect(isoWeekOf(Date.parse(`${to}T23:59:59.999Z`))).toBe(label);
  });

  it.each(['2026-47', '2026-W00', '2025-W53', "2026-W47'; --"])('refuses %s', (label) => {
    expect(() => isoWeek(label)).toThrow(/week/);
  });
});

describe('brokenHopOf', () => {
  it.each<[Partial<UnownedSender>, string, string | null]>([
    [{ apiKeyId: 'sha256:ab', serviceAccount: 'svc', gatewayId: 'gw' }, 'api_key', 'sha256:ab'],
    [{ serviceAccount: 'svc-batch', gatewayId: 'gw' }, 'service_account', 'svc-batch'],
    [{ gatewayId: 'search-gw', workflow: 'w' }, 'gateway', 'search-gw'],
    [{ workflow: 'nightly', environment: 'prod' }, 'workflow', 'nightly'],
    [{ environment: 'dev' }, 'environment', 'dev'],
    [{}, 'none', null],
  ])('%j -> %s', (over, hop, value) => {
    expect(brokenHopOf(sender(over))).toEqual({ hop, value });
  });
});

describe('buildCoverage', () => {
  const week = isoWeek('2026-W47');
  const report = buildCoverage(week, {
    spend: {
      calls: 1_000n,
      totalNanos: 10_000_000_000n,
      unattributedCalls: 30n,
      unattributedNanos: 300_000_000n,
    },
    senders: [
      sender({ apiKeyId: 'sha256:k1', environment: 'prod', calls: 10n, nanos: 100_000_000n }),
      sender({ apiKeyId: 'sha256:k1', environment: 'dev', calls: 5n, nanos: 50_000_000n }),
      sender({ gatewayId: 'gw-eu', calls: 12n, nanos: 120_000_000n }),
      sender({ environment: 'staging', calls: 3n, nanos: 30_000_000n }),
    ],
    quarantined: [
      { reason: 'MISSING_OWNER', stage: 'enricher', count: 20n },
      { reason: 'UNKNOWN_RATE', stage: 'pricer', count: 4n },
      { reason: 'CONFLICT', stage: 'pricer', count: 2n },
    ],
    missingInLedger: [
      { provider: 'openai', accountId: 'org-a', nanos: 70_000_000n, cells: 1 },
      { provider: 'anthropic', accountId: 'org-b', nanos: 500_000_000n, cells: 3 },
    ],
  });

  it('gives the unowned share against the 2% target', () => {
    expect(report.unattributedBp).toBe(300);
    expect(report.targetBp).toBe(200);
    expect(report.withinTarget).toBe(false);
  });

  it('ranks the broken hops by the unowned spend they send, with exact shares', () => {
    expect(report.brokenHops.map((h) => [h.hop, h.value, h.calls, h.nanos, h.shareBp])).toEqual([
      ['api_key', 'sha256:k1', 15n, 150_000_000n, 5000],
      ['gateway', 'gw-eu', 12n, 120_000_000n, 4000],
      ['environment', 'staging', 3n, 30_000_000n, 1000],
    ]);
  });

  it('estimates quarantine at the mean cost per call, nothing for calls already booked', () => {
    expect(report.meanCallNanos).toBe(10_000_000n);
    expect(report.quarantine.map((q) => [q.reason, q.count, q.estimatedNanos])).toEqual([
      ['MISSING_OWNER', 20n, 200_000_000n],
      ['UNKNOWN_RATE', 4n, 40_000_000n],
      ['CONFLICT', 2n, 0n],
    ]);
    expect(report.quarantineEstimatedNanos).toBe(240_000_000n);
  });

  it('adds the provider spend that never reached the ledger, largest first', () => {
    expect(report.missingInLedger.map((m) => m.accountId)).toEqual(['org-b', 'org-a']);
    expect(report.missingInLedgerNanos).toBe(570_000_000n);
    // (0.3 + 0.24 + 0.57) / (10 + 0.24 + 0.57) = 1.11 / 10.81
    expect(report.uncoveredBp).toBe(1027);
  });

  it('is within target below 2% and on an empty week', () => {
    const base = { senders: [], quarantined: [], missingInLedger: [] };
    const low = buildCoverage(week, {
      ...base,
      spend: { calls: 10n, totalNanos: 10_000n, unattributedCalls: 1n, unattributedNanos: 199n },
    });
    expect([low.unattributedBp, low.withinTarget]).toEqual([199, true]);
    const empty = buildCoverage(week, {
      ...base,
      spend: { calls: 0n, totalNanos: 0n, unattributedCalls: 0n, unattributedNanos: 0n },
    });
    expect([empty.unattributedBp, empty.withinTarget, empty.meanCallNanos, empty.uncoveredBp]).toEqual([
      0,
      true,
      0n,
      0,
    ]);
  });
});

describe('coverageReport', () => {
  it('reads the week Monday to Sunday through every port', async () => {
    const asked: string[] = [];
    const at = (name: string) => (from: string, to: string) => {
      asked.push(`${name} ${from}..${to}`);
      return Promise.resolve([]);
    };
    const report = await coverageReport(
      {
        spend: (from, to) => {
          asked.push(`spend ${from}..${to}`);
          return Promise.resolve({
            calls: 4n,
            totalNanos: 400n,
            unattributedCalls: 0n,
            unattributedNanos: 0n,
          });
        },
        unownedSenders: at('senders'),
        quarantined: at('quarantined'),
        missingInLedger: at('missing'),
      },
      '2026-W47',
    );
    expect(asked.sort()).toEqual([
      'missing 2026-11-16..2026-11-22',
      'quarantined 2026-11-16..2026-11-22',
      'senders 2026-11-16..2026-11-22',
      'spend 2026-11-16..2026-11-22',
    ]);
    expect(report.meanCallNanos).toBe(100n);
  });
});
