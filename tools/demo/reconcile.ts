import { formatUsd } from '@tokentally/domain-money';
import { PORT, UPLOAD_TOKEN } from './demo-services';
import { ACCOUNT, anthropicBill } from './provider-bill';
import type { GeneratedCall } from './traffic';

/**
 * "Does it match the provider's bill?": Anthropic's usage and cost report pages for the month, built
 * from the generated traffic with one planted difference, uploaded to the reconciler's HTTP import
 * (the same path as `tally reconcile import`), reconciled, and read back per provider account.
 */
interface MonthView {
  provider: string;
  account_id: string;
  month: string;
  ledger_nanos: string;
  provider_nanos: string;
  delta_nanos: string;
  delta_bp: number;
  tolerance_bp: number;
  within_tolerance: boolean;
  by_class: Record<string, string>;
}
interface CellView {
  usage_date: string;
  token_type: string | null;
  status: string;
  explanations: { class: string; nanos: string }[];
  unexplained_nanos: string;
}

const base = (): string => `http://127.0.0.1:${PORT('reconciler')}/v1/reconciliation`;

async function post<T>(path: string, body?: string): Promise<T> {
  const response = await fetch(`${base()}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${UPLOAD_TOKEN}`, 'content-type': 'application/octet-stream' },
    ...(body === undefined ? {} : { body }),
  });
  if (response.status !== 200)
    throw new Error(`reconciler ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function printReconciliation(traffic: readonly GeneratedCall[], period: string): Promise<void> {
  console.log(`\n== Does it match the provider's bill? (${period})\n`);
  const bill = anthropicBill(traffic, period);
  const account = `account=${ACCOUNT}&provider=anthropic`;
  // usage before costs: cost lines take their token counts from the usage pages
  await post(
    `/imports?format=anthropic-usage-report&${account}&file_name=usage_report.json`,
    bill.usagePages,
  );
  await post(`/imports?format=anthropic-cost-report&${account}&file_name=cost_report.json`, bill.costPages);
  const run = await post<{ cells: CellView[]; months: MonthView[] }>(`/runs?from=${bill.from}&to=${bill.to}`);
  console.log(
    `  imported Anthropic usage_report and cost_report pages (${bill.from} .. ${bill.to}, account ${ACCOUNT}) through the reconciler's upload`,
  );
  console.log(
    `  planted: ${bill.plantedCalls} calls on ${bill.plantedDay} that Anthropic billed but tokentally never received (dropped before ingest), ${bill.plantedNanos} nanos (${formatUsd(bill.plantedNanos)})`,
  );
  for (const m of run.months.filter((x) => x.month === period)) {
    console.log(
      `  ${m.provider}/${m.account_id}: provider ${formatUsd(BigInt(m.provider_nanos))} vs ledger ${formatUsd(BigInt(m.ledger_nanos))}, delta ${m.delta_nanos} nanos (${m.delta_bp} bp, tolerance ${m.tolerance_bp} bp): ${m.within_tolerance ? 'within tolerance' : 'BEYOND TOLERANCE'}`,
    );
    for (const [cls, nanos] of Object.entries(m.by_class))
      if (BigInt(nanos) !== 0n)
        console.log(`    difference by class: ${cls} ${nanos} nanos (${formatUsd(BigInt(nanos))})`);
  }
  const planted = run.cells.filter((c) => c.usage_date === bill.plantedDay);
  const found = new Map<string, bigint>();
  for (const cell of planted)
    for (const e of cell.explanations) found.set(e.class, (found.get(e.class) ?? 0n) + BigInt(e.nanos));
  const elsewhere = run.cells.filter((c) => c.usage_date !== bill.plantedDay && c.status !== 'matched');
  const named = [...found].map(([cls, nanos]) => `${cls} ${nanos} nanos`).join(', ') || 'nothing';
  const exact = found.get('missing_in_ledger') === bill.plantedNanos && found.size === 1;
  console.log(
    `  on ${bill.plantedDay} the reconciler names: ${named}${exact ? ' = the planted difference, to the nano' : ' (NOT the planted difference)'}; other days: ${elsewhere.length === 0 ? 'all matched' : `${elsewhere.length} cells off`}`,
  );
  console.log(
    `  details: DATABASE_URL=... npx tally reconcile show --from ${bill.plantedDay} --to ${bill.plantedDay}`,
  );
}
