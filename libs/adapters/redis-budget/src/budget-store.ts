import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  BudgetCounterStore,
  CounterRule,
  ReserveStatus,
  ScopeCounters,
} from '@tokentally/domain-budget';
import { CAP_SCRIPT, COMMIT_SCRIPT, REFRESH_SCRIPT, RESERVE_SCRIPT } from './budget-scripts';

export interface ReserveResult {
  status: ReserveStatus;
  /** Each rule's counters as the script saw them, before this call's own reservation. */
  counters: Map<string, ScopeCounters>;
}

export interface CommittedCall {
  eventId: string;
  actualNanos: bigint;
  scopes: readonly string[];
}

type Reply = (number | string)[];
interface BudgetCommands {
  budgetReserve(...args: (string | number)[]): Promise<Reply>;
  budgetCommit(...args: (string | number)[]): Promise<number>;
  budgetRefresh(...args: (string | number)[]): Promise<number>;
  budgetCap(...args: (string | number)[]): Promise<Reply>;
}

const STATUS: Record<number, ReserveStatus> = {
  1: 'reserved',
  0: 'denied',
  [-1]: 'duplicate',
  [-2]: 'unseeded',
};

/**
 * Budget counters and request-cap logs in Redis (see budget-scripts.ts for what each key holds). Every
 * key of a period shares the `{period}` hash tag, so a script's keys live on one node of a cluster too.
 */
export class RedisBudgetStore implements BudgetCounterStore {
  private readonly redis: Redis & BudgetCommands;

  constructor(
    redis: Redis,
    private readonly prefix = 'tt:budget',
  ) {
    redis.defineCommand('budgetReserve', { lua: RESERVE_SCRIPT });
    redis.defineCommand('budgetCommit', { lua: COMMIT_SCRIPT });
    redis.defineCommand('budgetRefresh', { lua: REFRESH_SCRIPT });
    redis.defineCommand('budgetCap', { lua: CAP_SCRIPT });
    this.redis = redis as Redis & BudgetCommands;
  }

  private key(period: string, ...parts: string[]): string {
    return [`${this.prefix}:{${period}}`, ...parts].join(':');
  }
  private counterKeys(period: string, scope: string): [string, string, string] {
    return [
      this.key(period, scope, 'ledger'),
      this.key(period, scope, 'bridge'),
      this.key(period, scope, 'reserved'),
    ];
  }

  async reserve(
    period: string,
    reservationId: string,
    estimateNanos: bigint,
    now: number,
    expiresAt: number,
    rules: readonly CounterRule[],
  ): Promise<ReserveResult> {
    const keys = [this.key(period, 'reservations'), this.key(period, 'expiries'), this.key(period, 'seeded')];
    const args: string[] = [String(now), reservationId, estimateNanos.toString(), String(expiresAt)];
    for (const rule of rules) {
      keys.push(...this.counterKeys(period, rule.scope));
      args.push(rule.limitNanos.toString(), rule.hard ? '1' : '0');
    }
    const reply = await this.redis.budgetReserve(keys.length, ...keys, ...args);
    const status = STATUS[Number(reply[0])] ?? 'denied';
    const counters = new Map<string, ScopeCounters>();
    rules.forEach((rule, i) => {
      if (reply.length < 1 + 3 * rules.length) return;
      const [ledger, bridge, reserved] = [1, 2, 3].map((offset) => BigInt(reply[3 * i + offset] ?? 0));
      counters.set(rule.scope, {
        spentNanos: (ledger ?? 0n) + (bridge ?? 0n),
        reservedNanos: reserved ?? 0n,
      });
    });
    return { status, counters };
  }

  /** Priced calls (already in the ledger): reservations freed, actual cost counted once each. */
  async commit(period: string, calls: readonly CommittedCall[]): Promise<number> {
    if (calls.length === 0) return 0;
    const keys = [
      this.key(period, 'reservations'),
      this.key(period, 'expiries'),
      this.key(period, 'bridged'),
    ];
    const args: string[] = [];
    for (const call of calls) {
      keys.push(...call.scopes.map((scope) => this.key(period, scope, 'bridge')));
      args.push(call.eventId, call.actualNanos.toString(), String(call.scopes.length));
    }
    return this.redis.budgetCommit(keys.length, ...keys, ...args);
  }

  /** Event ids counted in the bridge so far: take them before reading the ledger, then `refresh`. */
  async bridgedIds(period: string): Promise<string[]> {
    return this.redis.hkeys(this.key(period, 'bridged'));
  }

  /** Month-to-date spend per scope from a ledger read that began after `bridgedBefore` was taken. */
  async refresh(
    period: string,
    ledger: ReadonlyMap<string, bigint>,
    bridgedBefore: readonly string[],
  ): Promise<void> {
    const keys = [this.key(period, 'bridged'), this.key(period, 'seeded')];
    const args: string[] = [String(ledger.size)];
    for (const [scope, nanos] of ledger) {
      keys.push(this.key(period, scope, 'ledger'));
      args.push(nanos.toString());
    }
    await this.redis.budgetRefresh(keys.length, ...keys, ...args, ...bridgedBefore);
  }

  /** Sliding 60 s window (or `windowMs`) per key: exact with any number of callers. */
  async admit(
    capKey: string,
    now: number,
    cap: number,
    windowMs = 60_000,
  ): Promise<{ admitted: boolean; retryAfterMs: number }> {
    const reply = await this.redis.budgetCap(
      1,
      `${this.prefix}:cap:{${capKey}}`,
      now,
      windowMs,
      cap,
      `${now}:${randomUUID()}`,
    );
    return { admitted: Number(reply[0]) === 1, retryAfterMs: Math.max(0, Number(reply[1])) };
  }
}
