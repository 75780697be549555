import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import {
  OVERRIDE_REASON_CODES,
  budgetPeriodOf,
  budgetScopeKey,
  grantOverride,
  parseOverrideExpiry,
  type BudgetOverride,
} from '@tokentally/domain-budget';
import { formatUsd, parseDecimalToNanos } from '@tokentally/domain-money';
import { withDatabase } from '../database';

interface OverrideOptions {
  team: string;
  feature?: string;
  environment?: string;
  amount: string;
  reasonCode: string;
  approver: string;
  expires: string;
  note: string;
}

const scopeName = (o: Pick<BudgetOverride, 'teamId' | 'feature' | 'environment'>): string =>
  [o.teamId, o.feature, o.environment].filter((part) => part !== null).join(' / ');

function parseAmount(text: string): bigint {
  try {
    return parseDecimalToNanos(text);
  } catch (error) {
    throw new Error(`--amount: ${(error as Error).message}`);
  }
}

function parseExpiry(text: string): number {
  const at = parseOverrideExpiry(text);
  if (Number.isNaN(at))
    throw new Error(
      `--expires "${text}" must be a date (YYYY-MM-DD, end of that day UTC) or an RFC 3339 time`,
    );
  return at;
}

export function registerBudgetCommands(program: Command): void {
  const budget = program
    .command('budget')
    .description('budgets gateways are held to: status, overrides with an audit trail');
  budget
    .command('override')
    .description(
      'grant extra room above a budget, with a reason code, approver and expiry (never edited, always on record)',
    )
    .requiredOption('--team <team_id>', 'the team whose budget it widens')
    .option('--feature <feature>', 'only the budget of this feature')
    .option('--environment <env>', 'only the budget of this environment')
    .requiredOption('--amount <USD>', 'extra room in USD, an exact decimal (e.g. 250 or 99.50)')
    .requiredOption('--reason-code <code>', OVERRIDE_REASON_CODES.join(', '))
    .requiredOption('--approver <email>', 'who approved it')
    .requiredOption('--expires <date>', 'when it ends (YYYY-MM-DD: end of that day, UTC)')
    .requiredOption('--note <text>', 'why, in a sentence')
    .action(async (options: OverrideOptions) => {
      const now = Date.now();
      const input = {
        teamId: options.team,
        feature: options.feature ?? null,
        environment: options.environment ?? null,
        amountNanos: parseAmount(options.amount),
        reasonCode: options.reasonCode,
        approver: options.approver,
        note: options.note,
        expiresAt: parseExpiry(options.expires),
      };
      const grant = await withDatabase('tally budget override', (pool) =>
        grantOverride(input, `cli:${process.env['USER'] ?? 'unknown'}`, {
          ledger: new BudgetRepository(pool),
          now,
          newId: () => randomUUID().slice(0, 8),
        }),
      );
      if (!grant.ok) throw new Error(`override refused:\n  - ${grant.problems.join('\n  - ')}`);
      const { override } = grant;
      console.log(
        `override ${override.id}: +${formatUsd(override.amountNanos)} for ${scopeName(override)} until ${new Date(override.expiresAt).toISOString()} (${override.reasonCode}, approved by ${override.approver})`,
      );
    });
  budget
    .command('overrides')
    .description('list overrides: those in effect, or the whole audit trail with --all')
    .option('--team <team_id>', 'only this team')
    .option('--all', 'include expired overrides')
    .action(async (options: { team?: string; all?: boolean }) => {
      await withDatabase('tally budget overrides', async (pool) => {
        const list = await new BudgetRepository(pool).overrides({
          ...(options.team !== undefined ? { teamId: options.team } : {}),
          includeExpired: options.all ?? false,
        });
        if (list.length === 0) return console.log('no overrides');
        for (const o of list)
          console.log(
            `${o.id}  ${scopeName(o).padEnd(32)} +${formatUsd(o.amountNanos).padStart(12)}  ${o.reasonCode.padEnd(20)} ${o.approver}  until ${new Date(o.expiresAt).toISOString()}  "${o.note}"`,
          );
      });
    });
  budget
    .command('status')
    .description(
      "each budget's month-to-date spend (event time, from the ledger) against its limit and overrides",
    )
    .option('--period <YYYY-MM>', 'month (default: this one)')
    .action(async (options: { period?: string }) => {
      const period = options.period ?? budgetPeriodOf(Date.now());
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new Error(`--period "${period}" must be YYYY-MM`);
      await withDatabase('tally budget status', async (pool) => {
        const repo = new BudgetRepository(pool);
        const { rules, overrides } = await repo.load();
        if (rules.length === 0) return console.log('no budgets declared (org file: budgets:)');
        const spent = await repo.monthToDate(
          period,
          rules.map((rule) => ({ ...rule, scope: budgetScopeKey(rule) })),
        );
        for (const rule of rules) {
          const extra = overrides
            .filter((o) => budgetScopeKey(o) === budgetScopeKey(rule))
            .reduce((sum, o) => sum + o.amountNanos, 0n);
          const used = spent.get(budgetScopeKey(rule)) ?? 0n;
          const limit = rule.monthlyLimitNanos + extra;
          const share = limit > 0n ? Number((used * 10_000n) / limit) / 100 : 0;
          console.log(
            `${scopeName(rule).padEnd(32)} ${rule.mode.padEnd(4)} ${formatUsd(used).padStart(12)} of ${formatUsd(limit).padStart(12)} (${share.toFixed(1)}%)${extra > 0n ? `, ${formatUsd(extra)} by override` : ''}`,
          );
        }
      });
    });
}
