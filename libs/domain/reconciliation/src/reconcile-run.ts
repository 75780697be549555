import type { AlertEvent } from '@tokentally/contracts';
import type { CostLine } from './cost-line';
import { importExport, importIdOf, type ImportFormat } from './importers/formats';
import { ledgerDaysByAccount, type LedgerTeamDay } from './ledger-cells';
import { projectAccount, scopeByProject } from './project-scope';
import { reconcile } from './reconcile';
import { costLineFrom, isOverTolerance, reconciliationAlert } from './reconciliation-events';
import type { CellResult, ReconcileOptions, Reconciliation } from './reconciliation.types';

type StoredLine = Parameters<typeof costLineFrom>[0];
interface ProviderAccount {
  provider: string;
  accountId: string;
  projectId: string;
  teamId: string;
}

/**
 * What a reconciliation run reads and writes, as ports: the service and the CLI pass their
 * repositories (libs/platform/db). `ledgerDaily` is the one ledger query; when the ledger carries the
 * provider-side project, only that adapter changes.
 */
export interface ReconciliationPorts {
  currentLines(from: string, to: string): Promise<StoredLine[]>;
  providerAccounts(): Promise<ProviderAccount[]>;
  ledgerDaily(from: string, to: string): Promise<LedgerTeamDay[]>;
  save(results: (CellResult & { computedAt: Date })[]): Promise<void>;
  /** Drops stored cells of these provider x account (and its `<account>/<project>` cells) x days not in `keep`. */
  prune?(scopes: { provider: string; accountId: string; day: string }[], keep: string[]): Promise<void>;
}

export interface ReconciliationRun extends Reconciliation {
  alerts: AlertEvent[];
  /** Team each account bills for (first declared), 'unattributed' when none. */
  teamOf: (provider: string, accountId: string) => string;
}

/** Org file accounts as the two lookups a run needs: team -> account (ledger side), account -> team (alerts). */
export function accountLookups(accounts: readonly ProviderAccount[]) {
  const accountOfTeam = new Map<string, string>();
  const accountOfProject = new Map<string, string>();
  const teamOfAccount = new Map<string, string>();
  for (const a of accounts) {
    if (!accountOfTeam.has(`${a.provider}|${a.teamId}`))
      accountOfTeam.set(`${a.provider}|${a.teamId}`, a.accountId);
    if (!teamOfAccount.has(`${a.provider}|${a.accountId}`))
      teamOfAccount.set(`${a.provider}|${a.accountId}`, a.teamId);
    if (a.projectId) {
      // a project-level cell (scopeByProject) belongs to the project's team
      teamOfAccount.set(`${a.provider}|${projectAccount(a.accountId, a.projectId)}`, a.teamId);
      if (!accountOfProject.has(`${a.provider}|${a.projectId}`))
        accountOfProject.set(`${a.provider}|${a.projectId}`, a.accountId);
    }
  }
  return {
    accountOf: (provider: string, teamId: string, projectId = ''): string | null =>
      (projectId ? accountOfProject.get(`${provider}|${projectId}`) : undefined) ??
      accountOfTeam.get(`${provider}|${teamId}`) ??
      null,
    teamOf: (provider: string, accountId: string): string =>
      teamOfAccount.get(`${provider}|${accountId}`) ??
      // a project the org file does not declare: the team of its account
      teamOfAccount.get(`${provider}|${accountId.slice(0, accountId.lastIndexOf('/'))}`) ??
      'unattributed',
  };
}

/**
 * Reconciles the UTC days [from, to] from what is stored (imported lines, daily rollups, org
 * accounts), stores every cell's result and returns it with an alert per cell beyond tolerance.
 * Running it again over the same data gives the same results and alert ids.
 */
export async function runReconciliation(
  ports: ReconciliationPorts,
  window: { from: string; to: string },
  options: ReconcileOptions,
  extraLines: readonly CostLine[] = [],
): Promise<ReconciliationRun> {
  const [stored, accounts, ledgerRows] = await Promise.all([
    ports.currentLines(window.from, window.to),
    ports.providerAccounts(),
    ports.ledgerDaily(window.from, window.to),
  ]);
  const lookups = accountLookups(accounts);
  const lines = [...stored.map(costLineFrom), ...extraLines];
  const scoped = scopeByProject(lines, ledgerDaysByAccount(ledgerRows, lookups.accountOf));
  const result = reconcile(scoped.lines, scoped.ledger, options);
  const computedAt = new Date(options.now);
  await ports.save(result.cells.map((cell) => ({ ...cell, computedAt })));
  // cells an earlier run stored for these days that this run no longer has (a day now compared per
  // project, or back at account level; a model gone from both sides) would be counted twice
  await ports.prune?.(
    [...new Set(lines.map((l) => `${l.provider}|${l.accountId}|${l.usageDate}`))].map((key) => {
      const [provider = '', accountId = '', day = ''] = key.split('|');
      return { provider, accountId, day };
    }),
    result.cells.map((c) => c.resultId),
  );
  const alerts = result.cells
    .filter(isOverTolerance)
    .map((cell) => reconciliationAlert(cell, lookups.teamOf(cell.provider, cell.accountId), options.now));
  return { ...result, alerts, teamOf: lookups.teamOf };
}

export interface ImportPorts extends ReconciliationPorts {
  saveImport(
    meta: { importId: string; format: string; fileName: string | null; accountId: string | null },
    lines: CostLine[],
  ): Promise<{
    inserted: number;
    corrected: number;
    unchanged: number;
    changed: { line: StoredLine; revision: number; correctionNanos: bigint }[];
  }>;
}

export interface ImportSummary {
  importId: string;
  format: ImportFormat;
  lines: number;
  skipped: { row: number; reason: string }[];
  inserted: number;
  corrected: number;
  unchanged: number;
  /** New lines and restatements (revision > 1, with the correction in nanos). */
  changed: { line: CostLine; revision: number; correctionNanos: bigint }[];
  /** The days the file covers, reconciled again with the file's figures. */
  window: { from: string; to: string } | null;
  run: ReconciliationRun | null;
}

/**
 * Parses an export, stores its lines idempotently (the same file twice adds nothing; a restated
 * figure becomes a visible correction) and reconciles the days the file covers.
 */
export async function importAndReconcile(
  ports: ImportPorts,
  format: ImportFormat,
  content: string,
  meta: { accountId?: string; fileName?: string; provider?: string },
  options: ReconcileOptions,
): Promise<ImportSummary> {
  const parsed = importExport(format, content, {
    ...(meta.accountId ? { accountId: meta.accountId } : {}),
    ...(meta.provider ? { provider: meta.provider } : {}),
  });
  const importId = importIdOf(format, meta.accountId, content);
  const saved = await ports.saveImport(
    { importId, format, fileName: meta.fileName ?? null, accountId: meta.accountId ?? null },
    parsed.lines,
  );
  const days = parsed.lines.map((l) => l.usageDate).sort();
  const window = days.length > 0 ? { from: days[0]!, to: days[days.length - 1]! } : null;
  return {
    importId,
    format,
    lines: parsed.lines.length,
    skipped: parsed.skipped,
    inserted: saved.inserted,
    corrected: saved.corrected,
    unchanged: saved.unchanged,
    changed: saved.changed.map((c) => ({ ...c, line: costLineFrom(c.line) })),
    window,
    run: window ? await runReconciliation(ports, window, options) : null,
  };
}
