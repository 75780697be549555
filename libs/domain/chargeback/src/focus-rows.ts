import type { FocusAdjustmentGroup, FocusUsageGroup } from '@tokentally/contracts';
import { multiplyDecimals, nanosToDecimal, scaledToDecimal } from '@tokentally/domain-money';
import type { FocusRow } from './focus-columns';
import { rateBookFrom, type PriceCatalog } from '@tokentally/domain-pricing';
import { skuCharges, type FocusPriceBook } from './focus-prices';
import { UNATTRIBUTED } from './statement';

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  azure_openai: 'Microsoft',
  anthropic: 'Anthropic',
  bedrock: 'Amazon Web Services',
  google: 'Google',
  vertex_ai: 'Google',
  mistral: 'Mistral AI',
  deepseek: 'DeepSeek',
  xai: 'xAI',
  groq: 'Groq',
};

const DAY_MS = 86_400_000;
/** Adjustments carry no SKU, quantity or unit price (FOCUS allows null on them). */
const NO_PRICE = {
  SkuId: null,
  SkuPriceId: null,
  SkuMeter: null,
  SkuPriceDetails: null,
  PricingQuantity: null,
  PricingUnit: null,
  ListUnitPrice: null,
  ContractedUnitPrice: null,
  ConsumedQuantity: null,
  ConsumedUnit: null,
} satisfies Partial<FocusRow>;
const iso = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

export interface FocusInput {
  period: string;
  usage: readonly FocusUsageGroup[];
  adjustments: readonly FocusAdjustmentGroup[];
  /** Team id -> display name (SubAccountName). */
  teamNames: ReadonlyMap<string, string>;
  prices: FocusPriceBook;
}

type Owner = Pick<
  FocusUsageGroup,
  'day' | 'team_id' | 'feature' | 'workflow' | 'environment' | 'user_ref' | 'provider' | 'model'
>;

/** The columns every row of a group shares: periods, provider, account (the team) and ownership. */
function common(period: string, owner: Owner, teamNames: ReadonlyMap<string, string>) {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const provider = PROVIDER_NAMES[owner.provider] ?? owner.provider;
  // Unattributed calls belong to no sub account: null, never a placeholder id
  const team = owner.team_id === UNATTRIBUTED ? null : owner.team_id;
  return {
    BillingCurrency: 'USD',
    BillingPeriodStart: iso(new Date(Date.UTC(year, month - 1, 1))),
    BillingPeriodEnd: iso(new Date(Date.UTC(year, month, 1))),
    ChargePeriodStart: iso(owner.day),
    ChargePeriodEnd: iso(new Date(owner.day.getTime() + DAY_MS)),
    ChargeFrequency: 'Usage-Based',
    ServiceName: `${provider} ${owner.model}`,
    ServiceCategory: 'AI and Machine Learning',
    ServiceSubcategory: 'Generative AI',
    ProviderName: provider,
    PublisherName: provider,
    InvoiceIssuerName: provider,
    BillingAccountId: `tokentally:${owner.provider}`,
    BillingAccountName: `${provider} (tokentally)`,
    SubAccountId: team,
    SubAccountName: team === null ? null : (teamNames.get(team) ?? team),
    Tags: JSON.stringify({
      team: owner.team_id,
      feature: owner.feature,
      workflow: owner.workflow,
      environment: owner.environment,
    }),
    x_team: owner.team_id,
    x_feature: owner.feature,
    x_workflow: owner.workflow || null,
    x_user_ref: owner.user_ref || null,
    x_environment: owner.environment,
    x_model: owner.model,
  } satisfies Partial<FocusRow>;
}

/**
 * FinOps FOCUS 1.2 rows of one billing period. Usage: one row per SKU (model x token type, request
 * fees, priced units) of each day, owner and price point. ListUnitPrice is the published price per
 * 1,000,000 tokens (per request or unit), ContractedUnitPrice the same after a negotiated multiplier,
 * and ListCost / ContractedCost are their exact products with PricingQuantity; BilledCost and
 * EffectiveCost are what the ledger booked (rounded once per call to the nano, so they differ from the
 * contracted product by under a nano per call). Calls of a closed month booked late are Usage with
 * ChargeClass Correction; re-pricing is an Adjustment (a Correction when it re-prices an earlier month).
 */
export function focusRows(input: FocusInput): FocusRow[] {
  const rows: FocusRow[] = [];
  for (const group of input.usage) {
    const base = common(input.period, group, input.teamNames);
    const { card, charges } = skuCharges(group, input.prices);
    for (const charge of charges) {
      const quantity = charge.perMillion ? scaledToDecimal(charge.quantity, 6) : charge.quantity.toString();
      const cost = nanosToDecimal(charge.nanos);
      const skuId = `${group.provider}/${group.model}/${charge.meter}`;
      const details: Record<string, string> = { x_TokenType: charge.meter };
      if (group.pricing_tier) details.x_PricingTier = group.pricing_tier;
      rows.push({
        ...base,
        BilledCost: cost,
        EffectiveCost: cost,
        ListCost: multiplyDecimals(charge.listPrice, quantity),
        ContractedCost: multiplyDecimals(charge.contractedPrice, quantity),
        ChargeCategory: 'Usage',
        ChargeClass: group.late ? 'Correction' : null,
        ChargeDescription: `${charge.meterName} of ${group.model} for ${group.feature}${group.late ? ', booked late (its month was closed)' : ''}`,
        SkuId: skuId,
        SkuPriceId: `${card.id}@${card.version}/${group.model}/${charge.meter}${group.pricing_tier ? `#${group.pricing_tier}` : ''}`,
        SkuMeter: charge.meterName,
        SkuPriceDetails: JSON.stringify(details),
        PricingQuantity: quantity,
        PricingUnit: charge.perMillion ? '1000000 Tokens' : charge.meter === 'request' ? 'Requests' : 'Units',
        ListUnitPrice: charge.listPrice,
        ContractedUnitPrice: charge.contractedPrice,
        ConsumedQuantity: charge.quantity.toString(),
        ConsumedUnit: charge.perMillion ? 'Tokens' : charge.meter === 'request' ? 'Requests' : 'Units',
        x_calls: group.calls.toString(),
      });
    }
  }
  for (const adjustment of input.adjustments) {
    if (adjustment.total_nanos === 0n) continue;
    const cost = nanosToDecimal(adjustment.total_nanos);
    rows.push({
      ...common(input.period, adjustment, input.teamNames),
      ...NO_PRICE,
      // a charge unrelated to a unit price: every cost column is what was billed
      BilledCost: cost,
      EffectiveCost: cost,
      ListCost: cost,
      ContractedCost: cost,
      ChargeCategory: 'Adjustment',
      ChargeClass: adjustment.late ? 'Correction' : null,
      ChargeDescription: `re-pricing of ${adjustment.adjustments} ${adjustment.model} calls for ${adjustment.feature}`,
      x_calls: '0',
    });
  }
  return rows;
}

/** What the database gives a FOCUS export (ChargebackRepository.focusSources). */
export interface FocusSources {
  usage: readonly FocusUsageGroup[];
  adjustments: readonly FocusAdjustmentGroup[];
  teams: readonly { id: string; name: string }[];
  fx: readonly { currency: string; effectiveFrom: Date; usdPerUnit: string }[];
}

/** FOCUS rows of a period from what the database read, with catalog prices from `catalog`. */
export function focusExport(period: string, sources: FocusSources, catalog: PriceCatalog): FocusRow[] {
  return focusRows({
    period,
    usage: sources.usage,
    adjustments: sources.adjustments,
    teamNames: new Map(sources.teams.map((t) => [t.id, t.name])),
    prices: { catalog, fx: rateBookFrom([], sources.fx, catalog).fx },
  });
}
