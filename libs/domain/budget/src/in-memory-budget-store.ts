import type { BudgetCounterStore, CounterRule, ReserveStatus } from './budget.ports';
import type { ScopeCounters } from './budget-decision';
import { admitInWindow } from './request-cap';

/**
 * The counter store's contract in memory, for fast tests of the use cases (the Redis scripts are
 * tested against the same expectations on the real Redis). Not exported from the library.
 */
export class InMemoryBudgetStore implements BudgetCounterStore {
  readonly ledger = new Map<string, bigint>();
  readonly bridge = new Map<string, bigint>();
  readonly reserved = new Map<string, bigint>();
  readonly reservations = new Map<string, { amount: bigint; keys: string[]; expiresAt: number }>();
  readonly bridged = new Map<string, { amount: bigint; keys: string[] }>();
  readonly seeded = new Set<string>();
  readonly caps = new Map<string, number[]>();
  unreachable = false;

  private add(map: Map<string, bigint>, key: string, delta: bigint): void {
    map.set(key, (map.get(key) ?? 0n) + delta);
  }

  async reserve(
    period: string,
    id: string,
    estimate: bigint,
    now: number,
    expiresAt: number,
    rules: readonly CounterRule[],
  ) {
    if (this.unreachable) throw new Error('connection refused');
    if (!this.seeded.has(period))
      return { status: 'unseeded' as ReserveStatus, counters: new Map<string, ScopeCounters>() };
    for (const [key, r] of this.reservations) if (r.expiresAt <= now) this.release(key);
    const counters = new Map<string, ScopeCounters>();
    let allowed = true;
    for (const rule of rules) {
      const k = `${period}|${rule.scope}`;
      const spent = (this.ledger.get(k) ?? 0n) + (this.bridge.get(k) ?? 0n);
      const reserved = this.reserved.get(k) ?? 0n;
      counters.set(rule.scope, { spentNanos: spent, reservedNanos: reserved });
      if (rule.hard && spent + reserved + estimate > rule.limitNanos) allowed = false;
    }
    const key = `${period}|${id}`;
    if (this.reservations.has(key)) return { status: 'duplicate' as ReserveStatus, counters };
    if (!allowed) return { status: 'denied' as ReserveStatus, counters };
    const keys = rules.map((rule) => `${period}|${rule.scope}`);
    keys.forEach((k) => this.add(this.reserved, k, estimate));
    this.reservations.set(key, { amount: estimate, keys, expiresAt });
    return { status: 'reserved' as ReserveStatus, counters };
  }

  private release(key: string): void {
    const r = this.reservations.get(key);
    if (!r) return;
    r.keys.forEach((k) => this.add(this.reserved, k, -r.amount));
    this.reservations.delete(key);
  }

  async commit(
    period: string,
    calls: readonly { eventId: string; actualNanos: bigint; scopes: readonly string[] }[],
  ) {
    let fresh = 0;
    for (const call of calls) {
      this.release(`${period}|${call.eventId}`);
      const key = `${period}|${call.eventId}`;
      if (this.bridged.has(key)) continue;
      const keys = call.scopes.map((scope) => `${period}|${scope}`);
      this.bridged.set(key, { amount: call.actualNanos, keys });
      keys.forEach((k) => this.add(this.bridge, k, call.actualNanos));
      fresh += 1;
    }
    return fresh;
  }

  async bridgedIds(period: string) {
    return [...this.bridged.keys()]
      .filter((k) => k.startsWith(`${period}|`))
      .map((k) => k.slice(period.length + 1));
  }

  async refresh(period: string, ledger: ReadonlyMap<string, bigint>, bridgedBefore: readonly string[]) {
    for (const [scope, nanos] of ledger) this.ledger.set(`${period}|${scope}`, nanos);
    for (const id of bridgedBefore) {
      const entry = this.bridged.get(`${period}|${id}`);
      if (!entry) continue;
      entry.keys.forEach((k) => this.add(this.bridge, k, -entry.amount));
      this.bridged.delete(`${period}|${id}`);
    }
    this.seeded.add(period);
  }

  async admit(capKey: string, now: number, cap: number) {
    const result = admitInWindow(this.caps.get(capKey) ?? [], now, cap);
    this.caps.set(capKey, result.log);
    return { admitted: result.admitted, retryAfterMs: result.retryAfterMs };
  }
}
