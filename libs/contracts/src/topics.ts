import type {
  AlertEvent,
  ChargebackLine,
  EnrichedCallEvent,
  PricedCallEvent,
  ProviderCostLine,
  QuarantineRecord,
  RawCallEvent,
  ReconciliationResult,
} from './generated/schemas';

/**
 * One topic of the pipeline: its name, the Avro schema of its values (subject `<topic>-value`,
 * TopicNameStrategy), partitions and retention. The value type is carried as a phantom so producers
 * and consumers are type-checked against the schema the topic is declared with.
 */
export interface TopicSpec<TValue> {
  readonly name: string;
  readonly subject: string;
  readonly schemaFile: string;
  readonly recordName: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly keyDescription: string;
  readonly __value?: TValue;
}

const DAY_MS = 86_400_000;

/**
 * `TOKENTALLY_TOPIC_PREFIX` gives a run topics (and subjects) of its own: the demo uses `demo.`, the
 * integration suites `test.`, so `npm start` afterwards never books their calls into your database.
 * Unset (the default) means the contract names as documented.
 */
export function topicPrefix(value: string | undefined): string {
  const prefix = value ?? '';
  if (!/^[A-Za-z0-9._-]*$/.test(prefix))
    throw new Error(
      `TOKENTALLY_TOPIC_PREFIX: only letters, digits, ".", "_" and "-" (got ${JSON.stringify(prefix)})`,
    );
  return prefix;
}
const PREFIX = topicPrefix(process.env['TOKENTALLY_TOPIC_PREFIX']);

function topic<TValue>(
  name: string,
  schemaFile: string,
  record: string,
  partitions: number,
  retentionDays: number,
  keyDescription: string,
): TopicSpec<TValue> {
  return {
    name: `${PREFIX}${name}`,
    subject: `${PREFIX}${name}-value`,
    schemaFile,
    recordName: `tokentally.v1.${record}`,
    partitions,
    retentionMs: retentionDays * DAY_MS,
    keyDescription,
  };
}

// Call topics are keyed by trace_id so every call of one user-visible request shares a partition and
// stays in order; 6 partitions give the enricher and pricer room for parallel consumers.
export const TOPICS = {
  // Raw calls are kept 3 days, not longer: enough to ride out a weekend without the enricher, short
  // because a Kafka producer that does not pseudonymise puts raw user ids here (HTTP ingest never does).
  rawCalls: topic<RawCallEvent>('llm.calls.raw.v1', 'raw-call-event.avsc', 'RawCallEvent', 6, 3, 'trace_id'),
  enrichedCalls: topic<EnrichedCallEvent>(
    'llm.calls.enriched.v1',
    'enriched-call-event.avsc',
    'EnrichedCallEvent',
    6,
    14,
    'trace_id',
  ),
  pricedCalls: topic<PricedCallEvent>(
    'llm.calls.priced.v1',
    'priced-call-event.avsc',
    'PricedCallEvent',
    6,
    14,
    'trace_id',
  ),
  quarantine: topic<QuarantineRecord>(
    'llm.calls.quarantine.v1',
    'quarantine-record.avsc',
    'QuarantineRecord',
    3,
    30,
    'trace_id, else quarantine_id',
  ),
  alerts: topic<AlertEvent>('llm.alerts.v1', 'alert-event.avsc', 'AlertEvent', 3, 30, 'team_id'),
  providerCosts: topic<ProviderCostLine>(
    'billing.provider-costs.v1',
    'provider-cost-line.avsc',
    'ProviderCostLine',
    3,
    400,
    'provider:account_id',
  ),
  reconciliation: topic<ReconciliationResult>(
    'llm.reconciliation.v1',
    'reconciliation-result.avsc',
    'ReconciliationResult',
    3,
    400,
    'provider:account_id',
  ),
  chargeback: topic<ChargebackLine>(
    'llm.chargeback.v1',
    'chargeback-line.avsc',
    'ChargebackLine',
    3,
    400,
    'period:team_id',
  ),
} as const;

export type TopicKey = keyof typeof TOPICS;
export type TopicValue<K extends TopicKey> = (typeof TOPICS)[K] extends TopicSpec<infer V> ? V : never;
export const ALL_TOPICS: readonly TopicSpec<unknown>[] = Object.values(TOPICS);
