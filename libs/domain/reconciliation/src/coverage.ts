import { basisPoints } from './month-results';

/** An ISO 8601 week (Monday to Sunday, UTC) as the UTC days it covers. */
export interface IsoWeek {
  week: string;
  from: string;
  to: string;
}

/** `2026-W47` -> its Monday and Sunday (ISO 8601: week 1 holds the year's first Thursday). */
export function isoWeek(label: string): IsoWeek {
  const match = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!match) throw new Error(`week "${label}" must be an ISO week, YYYY-Www (e.g. 2026-W47)`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  const jan4 = Date.UTC(year, 0, 4);
  const week1Monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  const dec28 = Date.UTC(year, 11, 28);
  const weeks = Math.floor((dec28 - week1Monday) / (7 * 86_400_000)) + 1;
  if (week < 1 || week > weeks) throw new Error(`week "${label}": ${year} has weeks 01 to ${weeks}`);
  const monday = week1Monday + (week - 1) * 7 * 86_400_000;
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { week: label, from: day(monday), to: day(monday + 6 * 86_400_000) };
}

/** The ISO week a UTC instant falls in. */
export function isoWeekOf(at: number): string {
  const date = new Date(at);
  const thursday =
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) +
    (3 - ((date.getUTCDay() + 6) % 7)) * 86_400_000;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The week's ledger spend (daily rollups, adjustments included), all of it and the unowned part. */
export interface CoverageSpend {
  calls: bigint;
  totalNanos: bigint;
  unattributedCalls: bigint;
  unattributedNanos: bigint;
}

/** Unowned ledger calls grouped by the identities that sent them. */
export interface UnownedSender {
  apiKeyId: string | null;
  serviceAccount: string | null;
  gatewayId: string | null;
  workflow: string | null;
  environment: string | null;
  calls: bigint;
  nanos: bigint;
}

/** Events quarantined in the week and never replayed, by reason. */
export interface QuarantinedCount {
  reason: string;
  stage: string;
  count: bigint;
}

/** The reconciler's `missing_in_ledger` nanos on the week's days, per provider account. */
export interface MissingInLedger {
  provider: string;
  accountId: string;
  nanos: bigint;
  cells: number;
}

export interface CoveragePorts {
  spend(from: string, to: string): Promise<CoverageSpend>;
  unownedSenders(from: string, to: string): Promise<UnownedSender[]>;
  quarantined(from: string, to: string): Promise<QuarantinedCount[]>;
  missingInLedger(from: string, to: string): Promise<MissingInLedger[]>;
}

/** The identity on an unowned call that should have named its team: the hop to fix. */
export type BrokenHop = 'api_key' | 'service_account' | 'gateway' | 'workflow' | 'environment' | 'none';

export interface BrokenHopLine {
  hop: BrokenHop;
  value: string | null;
  calls: bigint;
  nanos: bigint;
  /** Share of the week's unowned ledger spend, basis points. */
  shareBp: number;
}

export interface QuarantineLine {
  reason: string;
  stage: string;
  count: bigint;
  /** count x the week's mean ledger cost per call; 0 for reasons whose call is booked already. */
  estimatedNanos: bigint;
}

export interface CoverageReport extends IsoWeek {
  ledgerNanos: bigint;
  ledgerCalls: bigint;
  unattributedNanos: bigint;
  unattributedCalls: bigint;
  /** Unowned share of the ledger's spend, basis points (target below targetBp). */
  unattributedBp: number;
  targetBp: number;
  withinTarget: boolean;
  brokenHops: BrokenHopLine[];
  quarantine: QuarantineLine[];
  quarantineEstimatedNanos: bigint;
  /** Mean ledger cost per call of the week: what a quarantined call is estimated at. */
  meanCallNanos: bigint;
  missingInLedger: MissingInLedger[];
  missingInLedgerNanos: bigint;
  /** Spend without an owner anywhere: unowned ledger + quarantine estimate + billed but never seen, in bp of all three plus the owned ledger. */
  uncoveredBp: number;
}

export const COVERAGE_TARGET_BP = 200;
/** Reasons whose call is in the ledger already (a conflicting resend, a duplicate): no spend is missing. */
const BOOKED_REASONS = new Set(['CONFLICT', 'DUPLICATE']);

/**
 * The first identity present on an unowned call is the hop that failed to name its team: an api key
 * the org file does not map, a service account not allow-listed, a gateway that stamps no team, and,
 * when the call carries none of those, the workflow or environment it came from.
 */
export function brokenHopOf(sender: UnownedSender): { hop: BrokenHop; value: string | null } {
  if (sender.apiKeyId) return { hop: 'api_key', value: sender.apiKeyId };
  if (sender.serviceAccount) return { hop: 'service_account', value: sender.serviceAccount };
  if (sender.gatewayId) return { hop: 'gateway', value: sender.gatewayId };
  if (sender.workflow) return { hop: 'workflow', value: sender.workflow };
  if (sender.environment) return { hop: 'environment', value: sender.environment };
  return { hop: 'none', value: null };
}

/** Pure assembly of a week's coverage report from what the ports read. */
export function buildCoverage(
  week: IsoWeek,
  data: {
    spend: CoverageSpend;
    senders: readonly UnownedSender[];
    quarantined: readonly QuarantinedCount[];
    missingInLedger: readonly MissingInLedger[];
  },
  targetBp = COVERAGE_TARGET_BP,
): CoverageReport {
  const { spend } = data;
  const hops = new Map<string, BrokenHopLine>();
  for (const sender of data.senders) {
    const { hop, value } = brokenHopOf(sender);
    const key = `${hop}\u001f${value ?? ''}`;
    const line = hops.get(key) ?? { hop, value, calls: 0n, nanos: 0n, shareBp: 0 };
    line.calls += sender.calls;
    line.nanos += sender.nanos;
    hops.set(key, line);
  }
  const senderNanos = [...hops.values()].reduce((sum, h) => sum + h.nanos, 0n);
  const brokenHops = [...hops.values()]
    .map((h) => ({ ...h, shareBp: basisPoints(h.nanos, senderNanos) }))
    .sort((a, b) => (a.nanos === b.nanos ? Number(b.calls - a.calls) : a.nanos > b.nanos ? -1 : 1));
  const meanCallNanos = spend.calls === 0n ? 0n : spend.totalNanos / spend.calls;
  const quarantine = data.quarantined
    .map((q) => ({
      ...q,
      estimatedNanos: BOOKED_REASONS.has(q.reason) ? 0n : q.count * meanCallNanos,
    }))
    .sort((a, b) =>
      a.estimatedNanos === b.estimatedNanos
        ? Number(b.count - a.count)
        : a.estimatedNanos > b.estimatedNanos
          ? -1
          : 1,
    );
  const quarantineEstimatedNanos = quarantine.reduce((sum, q) => sum + q.estimatedNanos, 0n);
  const missingInLedger = [...data.missingInLedger].sort((a, b) =>
    a.nanos > b.nanos ? -1 : a.nanos < b.nanos ? 1 : 0,
  );
  const missingInLedgerNanos = missingInLedger.reduce((sum, m) => sum + (m.nanos > 0n ? m.nanos : 0n), 0n);
  const unattributedBp = basisPoints(spend.unattributedNanos, spend.totalNanos);
  const uncovered = spend.unattributedNanos + quarantineEstimatedNanos + missingInLedgerNanos;
  const whole = spend.totalNanos + quarantineEstimatedNanos + missingInLedgerNanos;
  return {
    ...week,
    ledgerNanos: spend.totalNanos,
    ledgerCalls: spend.calls,
    unattributedNanos: spend.unattributedNanos,
    unattributedCalls: spend.unattributedCalls,
    unattributedBp: spend.totalNanos === 0n ? 0 : unattributedBp,
    targetBp,
    withinTarget: spend.totalNanos === 0n || unattributedBp < targetBp,
    brokenHops,
    quarantine,
    quarantineEstimatedNanos,
    meanCallNanos,
    missingInLedger,
    missingInLedgerNanos,
    uncoveredBp: whole === 0n ? 0 : basisPoints(uncovered, whole),
  };
}

/** Reads a week through the ports and assembles its report. */
export async function coverageReport(
  ports: CoveragePorts,
  label: string,
  targetBp = COVERAGE_TARGET_BP,
): Promise<CoverageReport> {
  const week = isoWeek(label);
  const [spend, senders, quarantined, missingInLedger] = await Promise.all([
    ports.spend(week.from, week.to),
    ports.unownedSenders(week.from, week.to),
    ports.quarantined(week.from, week.to),
    ports.missingInLedger(week.from, week.to),
  ]);
  return buildCoverage(week, { spend, senders, quarantined, missingInLedger }, targetBp);
}

/** The report as JSON: snake_case, every nano figure an integer string (never a JSON float). */
export function coverageJson(report: CoverageReport): Record<string, unknown> {
  const n = (value: bigint): string => value.toString();
  return {
    week: report.week,
    from: report.from,
    to: report.to,
    ledger_nanos: n(report.ledgerNanos),
    ledger_calls: n(report.ledgerCalls),
    unattributed_nanos: n(report.unattributedNanos),
    unattributed_calls: n(report.unattributedCalls),
    unattributed_bp: report.unattributedBp,
    target_bp: report.targetBp,
    within_target: report.withinTarget,
    broken_hops: report.brokenHops.map((h) => ({
      hop: h.hop,
      value: h.value,
      calls: n(h.calls),
      nanos: n(h.nanos),
      share_bp: h.shareBp,
    })),
    quarantine: {
      estimate: 'count x mean ledger cost per call of the week',
      mean_call_nanos: n(report.meanCallNanos),
      estimated_nanos: n(report.quarantineEstimatedNanos),
      reasons: report.quarantine.map((q) => ({
        reason: q.reason,
        stage: q.stage,
        count: n(q.count),
        estimated_nanos: n(q.estimatedNanos),
      })),
    },
    missing_in_ledger: {
      nanos: n(report.missingInLedgerNanos),
      accounts: report.missingInLedger.map((m) => ({
        provider: m.provider,
        account_id: m.accountId,
        nanos: n(m.nanos),
        cells: m.cells,
      })),
    },
    uncovered_bp: report.uncoveredBp,
  };
}
