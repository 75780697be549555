import type { CostLine } from './cost-line';
import type { LedgerDay } from './reconciliation.types';

/** The account of a project-level cell: `<account>/<project>`. */
export const projectAccount = (accountId: string, projectId: string): string => `${accountId}/${projectId}`;

/**
 * Compares project by project where both sides know the project: for a provider x account x day
 * whose usage lines all name a project (OpenAI `project_id`, Anthropic workspace, ...) and whose
 * ledger rows all carry one too, lines and ledger rows move to the account `<account>/<project>`.
 * Anywhere else (calls booked without project_id, an export without projects) the day stays at
 * account level, as before: a partly known project would report the unknown part as missing on one
 * side and extra on the other. Credit, tax and adjustment lines without a project stay at account level.
 */
export function scopeByProject(
  lines: readonly CostLine[],
  ledger: readonly LedgerDay[],
): { lines: CostLine[]; ledger: LedgerDay[] } {
  const keyOf = (provider: string, accountId: string, day: string): string =>
    `${provider}|${accountId}|${day}`;
  const eligible = new Map<string, boolean>();
  const vote = (key: string, known: boolean): void => {
    eligible.set(key, (eligible.get(key) ?? true) && known);
  };
  for (const line of lines)
    if (line.lineType === 'usage')
      vote(keyOf(line.provider, line.accountId, line.usageDate), Boolean(line.projectId));
  for (const day of ledger) {
    const key = keyOf(day.provider, day.accountId, day.day);
    // a ledger day of an account no export covers has nothing to be compared with: no vote
    if (eligible.has(key)) vote(key, Boolean(day.projectId));
  }
  return {
    lines: lines.map((line) =>
      line.projectId && eligible.get(keyOf(line.provider, line.accountId, line.usageDate))
        ? { ...line, accountId: projectAccount(line.accountId, line.projectId) }
        : line,
    ),
    ledger: ledger.map((day) =>
      day.projectId && eligible.get(keyOf(day.provider, day.accountId, day.day))
        ? { ...day, accountId: projectAccount(day.accountId, day.projectId) }
        : day,
    ),
  };
}
