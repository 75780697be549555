import type { Command } from 'commander';
import {
  PriceCatalog,
  parseRateFile,
  rateBookFrom,
  resolvePricing,
  specificity,
  storedRateBook,
  type RateScope,
} from '@tokentally/domain-pricing';
import { RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { withDatabase } from '../database';
import { readValidatedYaml } from '../yaml-file';
import { parseTime } from '../time';

export function registerRatesCommands(program: Command): void {
  const rates = program
    .command('rates')
    .description('rate cards over the pinned price catalog: apply a rate file, explain a resolution');

  rates
    .command('apply')
    .description(
      'validate a rate file and make it the rate book (cards not in the file are retired; the pricer reloads within RATES_REFRESH_MS)',
    )
    .argument('<file>', 'rate YAML file (see docs/rates.example.yaml and docs/pricing.md)')
    .option('--dry-run', 'validate only, change nothing')
    .action(async (file: string, options: { dryRun?: boolean }) => {
      const rateFile = readValidatedYaml(file, parseRateFile);
      const { cards, multipliers, fx } = rateFile;
      const summary = `${cards.length} rate cards, ${multipliers.length} multipliers, ${fx.length} FX rates`;
      if (options.dryRun) {
        console.log(`${file} is valid: ${summary}`);
        return;
      }
      await withDatabase('tally rates apply', async (pool) => {
        const stored = storedRateBook(rateFile);
        const result = await new RatesRepository(pool).apply(stored.cards, stored.fx);
        if (!result.changed) {
          console.log(`rate book unchanged (version ${result.bookVersion}): ${summary}`);
          return;
        }
        console.log(`rate book version ${result.bookVersion} applied: ${summary}`);
        for (const [label, ids] of [
          ['added', result.added],
          ['new version', result.updated],
          ['retired', result.retired],
        ] as const)
          if (ids.length > 0) console.log(`  ${label}: ${ids.join(', ')}`);
        if (result.updated.length > 0 || result.retired.length > 0)
          console.log(
            '  calls priced before keep their price; run `tally reprice --from ... --to ...` to correct a past window',
          );
      });
    });

  rates
    .command('show')
    .description('which rate prices a call of <provider> <model> at a time, and why')
    .argument('<provider>', 'canonical provider id, e.g. openai, anthropic, google, bedrock')
    .argument('<model>', 'model as the call names it')
    .option('--at <time>', 'the call time (ISO time or date); default now')
    .option('--region <region>', 'the call region')
    .option('--tier <service_tier>', 'the service tier served, e.g. batch, flex, priority')
    .action(
      async (provider: string, model: string, options: { at?: string; region?: string; tier?: string }) => {
        const at = options.at ? parseTime(options.at, '--at') : Date.now();
        await withDatabase('tally rates show', async (pool) => {
          const stored = await new RatesRepository(pool).load();
          const book = rateBookFrom(stored.cards, stored.fx, new PriceCatalog());
          const call = {
            provider,
            model,
            region: options.region ?? null,
            serviceTier: options.tier ?? null,
            at,
          };
          console.log(
            `${provider} ${model} at ${new Date(at).toISOString()}${call.region ? ` in ${call.region}` : ''}${call.serviceTier ? ` (${call.serviceTier})` : ''}; rate book version ${stored.version}`,
          );
          const describe = (card: RateScope): string => {
            const window = `${new Date(card.effectiveFrom).toISOString().slice(0, 10)}..${card.effectiveTo ? new Date(card.effectiveTo).toISOString().slice(0, 10) : ''}`;
            const scope = [
              card.model,
              card.region && `region=${card.region}`,
              card.serviceTier && `tier=${card.serviceTier}`,
            ]
              .filter(Boolean)
              .join(' ');
            return `${card.id} ${card.version}  [${scope}]  ${window}  specificity ${specificity(card)}`;
          };
          const candidates = [...book.cards, ...book.multipliers].filter(
            (card) => card.provider === provider,
          );
          console.log(`user cards and multipliers for ${provider}: ${candidates.length}`);
          for (const card of candidates) console.log(`  ${describe(card)}`);
          const resolution = resolvePricing(book, call);
          if ('problem' in resolution) {
            console.log(`result: UNKNOWN_RATE: ${resolution.problem}`);
            process.exitCode = 3;
            return;
          }
          const { card } = resolution;
          console.log(
            `result: ${resolution.source === 'catalog' ? 'catalog entry' : 'rate card'} ${card.id} (${card.version}), ${card.currency}`,
          );
          console.log(`  prices per 1M tokens: ${JSON.stringify(card.prices)}`);
          for (const tier of card.tiers ?? [])
            console.log(
              `  tier ${tier.name} above ${tier.inputTokensAbove} input tokens: ${JSON.stringify(tier.prices)}`,
            );
          if (resolution.multiplier)
            console.log(
              `  x ${resolution.multiplier.factor} by ${resolution.multiplier.id} (${resolution.multiplier.version}) on ${resolution.multiplier.appliesTo}`,
            );
          if (resolution.fx)
            console.log(
              `  converted at ${resolution.fx.usdPerUnit} USD per ${card.currency} (${resolution.fx.id})`,
            );
        });
      },
    );
}
