/**
 * What the detector needs to know about one priced call, and nothing more: the service maps a
 * PricedCallEvent (or a ledger rollup row) into this, so the domain never depends on the wire schema.
 * Amounts are integer nano-USD held in safe JS integers (events carry Avro longs the same way).
 */
export interface CallFact {
  event_id: string;
  /** Event time, epoch ms (UTC). Windows and baselines follow this, never the consumer's clock. */
  occurred_at: number;
  team: string;
  feature: string;
  workflow: string;
  model: string;
  provider: string;
  environment: string;
  prompt_template_version: string;
  /** A retry of a failed call or a call to a fallback model: spend that a healthy path would not make. */
  is_retry: boolean;
  input_tokens: number;
  output_tokens: number;
  /** Cost of the input side (uncached input, cache reads and writes), nano-USD. */
  input_nanos: number;
  /** Total cost of the call, nano-USD (input_nanos + everything else). */
  cost_nanos: number;
  rate_card: string;
}

/**
 * One cell of a scope's spend: calls that share feature, workflow, environment, model and retry flag.
 * The decomposition compares cells of the observed window with cells of the baseline; template
 * versions and rate cards are carried as labels (they explain a cell, they do not split it).
 */
export interface CellAggregate {
  feature: string;
  workflow: string;
  environment: string;
  provider: string;
  model: string;
  retry: boolean;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  input_nanos: number;
  cost_nanos: number;
  /** Sum of squared call costs in USD^2: the call-level variance behind the noise guard, not money. */
  cost_sq: number;
  templates: string[];
  rate_cards: string[];
}

export type Cells = Map<string, CellAggregate>;

export function cellKey(
  fact: Pick<CallFact, 'feature' | 'workflow' | 'environment' | 'provider' | 'model' | 'is_retry'>,
): string {
  return `${fact.feature}|${fact.workflow}|${fact.environment}|${fact.provider}|${fact.model}|${fact.is_retry ? 'r' : ''}`;
}

export function emptyCell(
  fact: Pick<CallFact, 'feature' | 'workflow' | 'environment' | 'provider' | 'model' | 'is_retry'>,
): CellAggregate {
  return {
    feature: fact.feature,
    workflow: fact.workflow,
    environment: fact.environment,
    provider: fact.provider,
    model: fact.model,
    retry: fact.is_retry,
    requests: 0,
    input_tokens: 0,
    output_tokens: 0,
    input_nanos: 0,
    cost_nanos: 0,
    cost_sq: 0,
    templates: [],
    rate_cards: [],
  };
}

const MAX_LABELS = 8;

function addLabel(labels: string[], label: string): void {
  // bounded: a label set explains a cell; a producer sending a new template per call must not grow memory
  if (label && labels.length < MAX_LABELS && !labels.includes(label)) labels.push(label);
}

export function addFact(cells: Cells, fact: CallFact): void {
  const key = cellKey(fact);
  let cell = cells.get(key);
  if (!cell) {
    cell = emptyCell(fact);
    cells.set(key, cell);
  }
  cell.requests += 1;
  cell.input_tokens += fact.input_tokens;
  cell.output_tokens += fact.output_tokens;
  cell.input_nanos += fact.input_nanos;
  cell.cost_nanos += fact.cost_nanos;
  cell.cost_sq += (fact.cost_nanos / 1e9) ** 2;
  addLabel(cell.templates, fact.prompt_template_version);
  addLabel(cell.rate_cards, fact.rate_card);
}

/** Adds `source` into `target`, each numeric field multiplied by `weight` (1 for exact merges). */
export function mergeCells(
  target: Cells,
  source: Cells,
  weight = 1,
  filter?: (cell: CellAggregate) => boolean,
): void {
  for (const [key, cell] of source) {
    if (filter && !filter(cell)) continue;
    let into = target.get(key);
    if (!into) {
      into = {
        ...cell,
        requests: 0,
        input_tokens: 0,
        output_tokens: 0,
        input_nanos: 0,
        cost_nanos: 0,
        cost_sq: 0,
        templates: [],
        rate_cards: [],
      };
      target.set(key, into);
    }
    into.requests += cell.requests * weight;
    into.input_tokens += cell.input_tokens * weight;
    into.output_tokens += cell.output_tokens * weight;
    into.input_nanos += cell.input_nanos * weight;
    into.cost_nanos += cell.cost_nanos * weight;
    into.cost_sq += (cell.cost_sq ?? 0) * weight;
    for (const t of cell.templates) addLabel(into.templates, t);
    for (const r of cell.rate_cards) addLabel(into.rate_cards, r);
  }
}

export function totalCost(cells: Cells): number {
  let total = 0;
  for (const cell of cells.values()) total += cell.cost_nanos;
  return total;
}
