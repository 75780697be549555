import type { Command } from 'commander';
import { explainTrace } from '@tokentally/domain-pricing';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { withDatabase } from '../database';

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description(
      'the cost of one request: every call by trace_id with owner, tokens, rate card and components',
    )
    .argument('<trace_id>')
    .option('--json', 'the same as GET /v1/traces/<trace_id>/cost on the finance API')
    .action(async (traceId: string, options: { json?: boolean }) => {
      await withDatabase('tally explain', async (pool) => {
        const { calls, adjustments } = await new LedgerRepository(pool).byTrace(traceId);
        if (calls.length === 0) throw new Error(`no priced call with trace_id "${traceId}" in the ledger`);
        const explanation = explainTrace(traceId, calls, adjustments);
        if (options.json) {
          console.log(JSON.stringify(explanation, null, 2));
          return;
        }
        const { totals } = explanation;
        console.log(
          `trace ${traceId}: ${totals.calls} call(s), ${totals.retries} retr${totals.retries === 1 ? 'y' : 'ies'}, ${totals.fallbacks} fallback(s), ${totals.failed} failed; total $${totals.cost.usd} (${totals.cost.nanos} nano-USD)`,
        );
        for (const [index, call] of explanation.calls.entries()) {
          const flags = [
            call.call.attempt && call.call.attempt > 1 ? `attempt ${call.call.attempt}` : null,
            call.call.is_retry ? 'retry' : null,
            call.call.is_fallback ? 'fallback' : null,
            call.call.status_code !== null && call.call.status_code >= 400
              ? `HTTP ${call.call.status_code}`
              : null,
          ].filter(Boolean);
          console.log(
            `\n${index + 1}. ${call.occurred_at}  ${call.call.provider}/${call.call.model}${flags.length ? `  [${flags.join(', ')}]` : ''}  event ${call.event_id}`,
          );
          console.log(
            `   owner: team ${call.owner.team_id}, feature ${call.owner.feature}${call.owner.workflow ? `/${call.owner.workflow}` : ''}, ${call.owner.environment}${call.owner.user_ref ? `, user ${call.owner.user_ref}` : ''}`,
          );
          console.log(
            `   rate:  ${call.rate.rate_card_id} (${call.rate.rate_card_version})${call.rate.multiplier ? ` x ${call.rate.multiplier.factor} (${call.rate.multiplier.id})` : ''}${call.rate.pricing_tier ? `, tier ${call.rate.pricing_tier}` : ''}${call.rate.fx_rate_id ? `, ${call.rate.original_total} ${call.rate.currency} at ${call.rate.fx_rate_id}` : ''}`,
          );
          const rows = (
            [
              ['uncached input', call.tokens.uncached_input, call.cost.uncached_input],
              ['cache read', call.tokens.cache_read, call.cost.cache_read],
              ['cache write 5m', call.tokens.cache_write_5m, call.cost.cache_write_5m],
              ['cache write 1h', call.tokens.cache_write_1h, call.cost.cache_write_1h],
              ['output', call.tokens.output, call.cost.output],
              ['reasoning (in output)', call.tokens.reasoning, call.cost.reasoning],
              ['request fee', null, call.cost.request_fee],
              [`units ${JSON.stringify(call.tokens.units)}`, null, call.cost.units],
            ] as [string, number | null, { usd: string }][]
          ).filter(([, tokens, cost]) => (tokens ?? 0) > 0 || cost.usd !== '0');
          for (const [label, tokens, cost] of rows)
            console.log(`   ${label.padEnd(24)} ${String(tokens ?? '').padStart(10)}  $${cost.usd}`);
          console.log(`   ${'total'.padEnd(24)} ${''.padStart(10)}  $${call.cost.total.usd}`);
          for (const adjustment of call.adjustments)
            console.log(
              `   adjustment ${adjustment.delta.usd} USD in ${adjustment.period} by ${adjustment.rate_card_id} (${adjustment.rate_card_version}): ${adjustment.reason}`,
            );
          if (call.adjustments.length > 0)
            console.log(`   effective total          ${''.padStart(10)}  $${call.effective_total.usd}`);
        }
      });
    });
}
