import { api, serves } from './api.js';
import { h, notAvailable, section, table, usd } from './dom.js';

const money = (v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? usd(v) : v);

/** Any list of flat records as a table: *_nanos columns as dollars, nested values as text. */
export function recordsTable(records) {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))].filter(
    (k) => typeof records[0]?.[k] !== 'object' || records[0]?.[k] === null,
  );
  return table(
    keys.map((k) => ({
      label: k.replace(/_nanos$/, '').replace(/_/g, ' '),
      num: k.endsWith('_nanos'),
      value: (r) => (k.endsWith('_nanos') ? money(r[k]) : (r[k] ?? '')),
    })),
    records,
  );
}

/** Every array of records in a response, each as a table under its name. */
export function autoSections(body) {
  const out = [];
  for (const [key, value] of Object.entries(body ?? {})) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null))
      out.push(section(key.replace(/_/g, ' '), recordsTable(value)));
    else if (typeof value !== 'object' || value === null)
      out.push(h('p', {}, `${key.replace(/_/g, ' ')}: ${key.endsWith('_nanos') ? money(value) : value}`));
  }
  return out;
}

/** Per provider and day, within tolerance or not, differences by class: from the reconciliation route. */
export async function reconciliationPage(ctx) {
  for (const path of ['/v1/reconciliation/{period}', '/v1/reconciliation'])
    if (await serves(path)) {
      const url =
        path === '/v1/reconciliation'
          ? `/v1/reconciliation?period=${ctx.period}`
          : `/v1/reconciliation/${ctx.period}`;
      return autoSections(await api(url));
    }
  return [
    notAvailable('Reconciliation with provider bills'),
    h(
      'p',
      {},
      'Import provider exports with the reconciler (tally reconcile import) and see tally reconcile status meanwhile.',
    ),
  ];
}
