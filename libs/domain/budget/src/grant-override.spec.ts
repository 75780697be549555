import { grantOverride, parseOverrideExpiry, type OverrideLedger } from './grant-override.usecase';
import type { BudgetOverride } from './budget-override';

const NOW = Date.parse('2026-11-20T10:00:00Z');

function ledger(): OverrideLedger & { kept: [BudgetOverride, string][] } {
  const kept: [BudgetOverride, string][] = [];
  return { kept, addOverride: async (override, by) => void kept.push([override, by]) };
}

const request = {
  teamId: 'support',
  feature: 'drafts',
  amountNanos: 250_000_000_000n,
  reasonCode: 'PRODUCT_LAUNCH',
  approver: 'cfo@example.com',
  note: 'launch week',
  expiresAt: parseOverrideExpiry('2026-11-30'),
};

describe('grantOverride', () => {
  it('stores the override once with its granter, and names what it stored', async () => {
    const store = ledger();
    const grant = await grantOverride(request, 'token:finance', {
      ledger: store,
      now: NOW,
      newId: () => 'abc',
    });
    expect(grant).toEqual({
      ok: true,
      override: {
        ...request,
        id: 'ovr-abc',
        environment: null,
        reasonCode: 'PRODUCT_LAUNCH',
        createdAt: NOW,
        expiresAt: Date.parse('2026-11-30T23:59:59.999Z'),
      },
    });
    expect(store.kept).toHaveLength(1);
    expect(store.kept[0]?.[1]).toBe('token:finance');
  });

  it('refuses with every problem named by its field, and stores nothing', async () => {
    const store = ledger();
    const grant = await grantOverride(
      { ...request, amountNanos: 0n, reasonCode: 'BECAUSE', expiresAt: parseOverrideExpiry('2026-11-01') },
      'cli:me',
      { ledger: store, now: NOW, newId: () => 'x' },
    );
    expect(grant).toEqual({
      ok: false,
      problems: [
        'amount: must be a positive USD amount',
        expect.stringMatching(/^reason_code: must be one of INCIDENT_RESPONSE, /),
        'expires: must be in the future',
      ],
    });
    expect(store.kept).toEqual([]);
  });

  it('reads an expiry as the end of a UTC day, or as an RFC 3339 time', () => {
    expect(parseOverrideExpiry('2026-12-31')).toBe(Date.parse('2026-12-31T23:59:59.999Z'));
    expect(parseOverrideExpiry('2026-12-31T08:00:00+01:00')).toBe(Date.parse('2026-12-31T07:00:00Z'));
    expect(parseOverrideExpiry('soon')).toBeNaN();
  });
});
