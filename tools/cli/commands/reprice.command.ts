import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { formatUsd } from '@tokentally/domain-money';
import {
  PriceCatalog,
  pricedComponents,
  rateBookFrom,
  resolveServedPricing,
} from '@tokentally/domain-pricing';
import {
  COST_COLUMNS,
  LedgerRepository,
  RatesRepository,
  type AdjustmentRow,
  type CostColumn,
} from '@tokentally/platform-db';
import { withDatabase } from '../database';
import { parseTime } from '../time';

interface RepriceOptions {
  from: string;
  to: string;
  provider?: string;
  model?: string;
  dryRun?: boolean;
  reason?: string;
}

export function registerRepriceCommand(program: Command): void {
  program
    .command('reprice')
    .description(
      'price a past window again with the current rate book; differences become adjustment rows in an open period (ledger rows are never edited)',
    )
    .requiredOption('--from <time>', 'window start, inclusive (date or ISO time)')
    .requiredOption('--to <time>', 'window end, exclusive (date or ISO time)')
    .option('--provider <provider>', 'only calls of this provider')
    .option('--model <model>', 'only calls of this model')
    .option('--reason <text>', 'why, kept on every adjustment', 'rate card correction')
    .option('--dry-run', 'print the impact per team, write nothing')
    .action(async (options: RepriceOptions) => {
      const from = parseTime(options.from, '--from');
      const to = parseTime(options.to, '--to');
      if (to <= from) throw new Error('--to must be after --from');
      await withDatabase('tally reprice', async (pool) => {
        const stored = await new RatesRepository(pool).load();
        const book = rateBookFrom(stored.cards, stored.fx, new PriceCatalog());
        const ledger = new LedgerRepository(pool);
        const impact = new Map<string, { calls: number; delta: bigint }>();
        let scanned = 0;
        let unchanged = 0;
        let unpriceable = 0;
        let written = 0;
        for await (const page of ledger.effectiveRows({
          from: new Date(from),
          to: new Date(to),
          ...(options.provider ? { provider: options.provider } : {}),
          ...(options.model ? { model: options.model } : {}),
        })) {
          const adjustments: AdjustmentRow[] = [];
          for (const row of page) {
            scanned += 1;
            // the same resolution as the pricer's, served model first (docs/pricing.md)
            const served = resolveServedPricing(book, {
              provider: row.provider,
              model: row.model,
              responseModel: row.response_model,
              region: row.region,
              serviceTier: row.service_tier,
              at: row.occurred_at.getTime(),
            });
            if ('problem' in served) {
              unpriceable += 1;
              continue;
            }
            const { resolution } = served;
            let cost;
            try {
              cost = pricedComponents(
                {
                  uncached_input: Number(row.uncached_input_tokens),
                  cache_read: Number(row.cache_read_tokens),
                  cache_write_5m: Number(row.cache_write_5m_tokens),
                  cache_write_1h: Number(row.cache_write_1h_tokens),
                  output: Number(row.output_tokens),
                  reasoning: Number(row.reasoning_tokens),
                  units: row.units,
                },
                resolution,
              );
            } catch {
              unpriceable += 1;
              continue;
            }
            const repriced: Record<CostColumn, bigint> = {
              uncached_input_nanos: cost.uncachedInput,
              cache_read_nanos: cost.cacheRead,
              cache_write_5m_nanos: cost.cacheWrite5m,
              cache_write_1h_nanos: cost.cacheWrite1h,
              output_nanos: cost.output,
              reasoning_nanos: cost.reasoning,
              request_fee_nanos: cost.requestFee,
              units_nanos: cost.units,
              total_nanos: cost.total,
            };
            const delta = Object.fromEntries(
              COST_COLUMNS.map((c) => [c, repriced[c] - row.effective[c]]),
            ) as Record<CostColumn, bigint>;
            if (COST_COLUMNS.every((c) => delta[c] === 0n)) {
              unchanged += 1;
              continue;
            }
            const team = impact.get(row.team_id) ?? { calls: 0, delta: 0n };
            team.calls += 1;
            team.delta += delta.total_nanos;
            impact.set(row.team_id, team);
            const identity = [
              row.event_id,
              row.occurred_at.toISOString(),
              resolution.card.id,
              resolution.card.version,
              resolution.multiplier?.id ?? '',
              resolution.multiplier?.version ?? '',
              resolution.fx?.id ?? '',
              delta.total_nanos.toString(),
            ].join('|');
            adjustments.push({
              adjustmentId: createHash('sha256').update(identity).digest('hex').slice(0, 32),
              eventId: row.event_id,
              occurredAt: row.occurred_at.getTime(),
              traceId: row.trace_id,
              // the ledger books it in the open period instead if this one is closed by then
              period: row.period,
              bookedAt: row.occurred_at.getTime(),
              teamId: row.team_id,
              userRef: row.user_ref,
              feature: row.feature,
              workflow: row.workflow,
              environment: row.environment,
              provider: row.provider,
              model: row.model,
              delta,
              rateCardId: resolution.card.id,
              rateCardVersion: resolution.card.version,
              rateMultiplierId: resolution.multiplier?.id ?? null,
              rateMultiplierVersion: resolution.multiplier?.version ?? null,
              fxRateId: resolution.fx?.id ?? null,
              reason: options.reason ?? 'rate card correction',
            });
          }
          if (!options.dryRun) written += await ledger.adjust(adjustments);
          console.error(
            `... ${scanned} calls scanned, ${impact.size ? [...impact.values()].reduce((n, t) => n + t.calls, 0) : 0} to adjust`,
          );
        }
        const changed = [...impact.values()].reduce((n, t) => n + t.calls, 0);
        const net = [...impact.values()].reduce((sum, t) => sum + t.delta, 0n);
        console.log(
          `${options.dryRun ? 'dry run: ' : ''}${scanned} calls in the window, ${changed} priced differently now, ${unchanged} unchanged, ${unpriceable} without a rate now (left as they are)`,
        );
        console.log(`${'team'.padEnd(24)} ${'calls'.padStart(8)}  delta`);
        for (const [team, { calls, delta }] of [...impact].sort(([a], [b]) => a.localeCompare(b)))
          console.log(
            `${team.padEnd(24)} ${String(calls).padStart(8)}  ${formatUsd(delta)} (${delta} nano-USD)`,
          );
        console.log(
          `${'net'.padEnd(24)} ${String(changed).padStart(8)}  ${formatUsd(net)} (${net} nano-USD)`,
        );
        if (!options.dryRun) console.log(`done: ${written} adjustment row(s) written; ledger rows untouched`);
      });
    });
}
