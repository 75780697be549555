import { api } from './api.js';
import { bp, figure, h, section, signed, table, usd } from './dom.js';

/** The reconciler's classes of difference, in words. */
const CLASSES = {
  missing_in_ledger: 'Billed by the provider, never seen by the ledger',
  missing_at_provider: 'In the ledger, not on the bill',
  price_drift: 'Different price per token',
  cache_semantics: 'Cache tokens counted differently',
  service_tier: 'Service tier (priority, batch, flex)',
  long_context: 'Long-context pricing',
  region: 'Regional pricing',
  rounding: 'Rounding',
  fx: 'Currency conversion',
  credits_tax_adjustments: 'Credits, tax and adjustments',
  day_boundary: 'Booked on the next or previous day',
  unexplained: 'Not explained',
};
export const className = (cls) => CLASSES[cls] ?? cls.replace(/_/g, ' ');

const STATUS = {
  none: 'No provider bill imported for this period yet',
  within_tolerance: 'Matches the provider bills within tolerance',
  beyond_tolerance: 'Differs from the provider bills beyond tolerance',
};

const byClass = (classes) => Object.entries(classes).map(([cls, nanos]) => ({ cls, nanos }));

/** The period's reconciliation as the statement carries it: a banner, the totals, accounts and classes. */
export function reconciliationView(r) {
  const status = h(
    'div',
    { class: `banner ${r.status === 'beyond_tolerance' ? 'bad' : 'ok'}` },
    h('strong', { 'data-testid': 'reconciliation-status' }, STATUS[r.status] ?? r.status),
    r.provisional
      ? h('div', { class: 'note' }, 'provisional: the provider may still revise its export')
      : null,
  );
  if (r.status === 'none') return [status];
  return [
    status,
    h(
      'div',
      { class: 'figures' },
      figure('Provider bills', usd(r.provider_nanos), null, 'recon-provider'),
      figure('Ledger', usd(r.ledger_nanos), null, 'recon-ledger'),
      figure('Difference', signed(r.delta_nanos), `${bp(r.delta_bp)} of the bills`, 'recon-delta'),
      figure(
        'Open differences',
        String(r.open_cells),
        'provider, account, day and model cells beyond tolerance',
      ),
    ),
    section(
      'Per provider account',
      table(
        [
          { label: 'Provider', value: (a) => a.provider },
          { label: 'Account', value: (a) => a.account_id },
          { label: 'Bill', num: true, value: (a) => usd(a.provider_nanos) },
          { label: 'Ledger', num: true, value: (a) => usd(a.ledger_nanos) },
          {
            label: 'Difference',
            num: true,
            value: (a) => signed(a.delta_nanos),
            testid: (a) => `recon-delta-${a.provider}-${a.account_id}`,
          },
          { label: 'Of the bill', num: true, value: (a) => bp(a.delta_bp) },
          {
            label: 'Within tolerance',
            value: (a) =>
              h(
                'span',
                { class: `state ${a.within_tolerance ? 'within-budget' : 'over-budget'}` },
                a.within_tolerance ? `yes (±${bp(a.tolerance_bp)})` : `no (±${bp(a.tolerance_bp)} allowed)`,
              ),
          },
          {
            label: 'Differences by class',
            value: (a) =>
              byClass(a.by_class)
                .map((c) => `${className(c.cls)} ${signed(c.nanos)}`)
                .join('; ') || '–',
          },
        ],
        r.accounts,
      ),
    ),
    section(
      'Open differences by class',
      table(
        [
          { label: 'Class', value: (c) => className(c.cls) },
          {
            label: 'Amount',
            num: true,
            value: (c) => signed(c.nanos),
            testid: (c) => `recon-class-${c.cls}`,
          },
        ],
        byClass(r.open_by_class),
        { empty: 'No difference beyond tolerance.' },
      ),
    ),
  ];
}

function dayTable(days) {
  return table(
    [
      { label: 'Day (UTC)', value: (d) => d.usage_date },
      { label: 'Provider', value: (d) => d.provider },
      { label: 'Account', value: (d) => d.account_id },
      { label: 'Bill', num: true, value: (d) => usd(d.provider_nanos) },
      { label: 'Ledger', num: true, value: (d) => usd(d.ledger_nanos) },
      {
        label: 'Difference',
        num: true,
        value: (d) => signed(d.delta_nanos),
        testid: (d) => `recon-day-${d.usage_date}-${d.provider}-${d.account_id}`,
      },
      {
        label: 'Within tolerance',
        value: (d) =>
          h(
            'span',
            { class: `state ${d.within_tolerance ? 'within-budget' : 'over-budget'}` },
            d.within_tolerance ? 'yes' : `no: ${d.open_cells} of ${d.cells} cells`,
          ),
      },
      {
        label: 'Why it differs',
        value: (d) =>
          byClass(d.open_by_class)
            .map((c) => `${className(c.cls)} ${signed(c.nanos)}`)
            .join('; ') || '–',
      },
    ],
    days,
    { empty: 'No reconciled day yet.' },
  );
}

/** Provider bills vs the ledger for the period (GET /v1/reconciliation/{period}; team tokens: their accounts). */
export async function reconciliationPage(ctx) {
  const [r, { days }] = await Promise.all([
    api(`/v1/reconciliation/${ctx.period}`),
    api(`/v1/reconciliation/${ctx.period}/days`),
  ]);
  return [
    h(
      'p',
      { class: 'scope' },
      'The provider bills (exports imported with ',
      h('code', {}, 'tally reconcile import'),
      ' or fetched from the admin APIs) compared with the ledger per provider account, day and model. Each account is held to a monthly tolerance, each day and model to a daily one; every cell: ',
      h('code', {}, 'tally reconcile status'),
      '.',
    ),
    ...reconciliationView(r),
    ...(r.status === 'none' ? [] : [section('Day by day', dayTable(days))]),
  ];
}
