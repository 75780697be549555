import type { Pool } from 'pg';
import { CallRecorder } from '@tokentally/sdk';
import { INGEST_TOKEN, PORT } from './demo-services';
import type { GeneratedCall } from './traffic';

type Say = (text: string) => void;

/** Sends the traffic: SDK calls first, then the HTTP ones in batches of 1,000 to the enricher's ingest. */
export async function sendTraffic(traffic: GeneratedCall[], now: number, progress: Say): Promise<void> {
  const recorder = await CallRecorder.connect({
    brokers: ['127.0.0.1:9092'],
    registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
    maxBatch: 2000,
  });
  const http = traffic.filter((c) => c.via === 'http').map((c) => c.event);
  for (const call of traffic) if (call.via === 'sdk') recorder.record(call.event, now);
  await recorder.close();
  for (let start = 0; start < http.length; start += 1000) {
    const response = await fetch(`http://127.0.0.1:${PORT('enricher')}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify(http.slice(start, start + 1000)),
    });
    if (response.status !== 200 && response.status !== 202)
      throw new Error(`HTTP ingest answered ${response.status}: ${await response.text()}`);
    progress(`HTTP ingest: ${Math.min(start + 1000, http.length)}/${http.length}`);
  }
  process.stdout.write('\n');
}

/** Waits until every call of the run is in the ledger; its row count and total. */
export async function waitForLedger(
  pool: Pool,
  run: string,
  calls: number,
  progress: Say,
): Promise<{ rows: bigint; nanos: bigint }> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const { rows } = await pool.query<{ rows: bigint; nanos: bigint | null }>(
      'SELECT count(*) AS rows, sum(total_nanos)::bigint AS nanos FROM tokentally.ledger WHERE event_id LIKE $1',
      [`demo-${run}-%`],
    );
    const priced = { rows: rows[0]?.rows ?? 0n, nanos: rows[0]?.nanos ?? 0n };
    progress(
      `pipeline: ${priced.rows.toLocaleString('en-US')} / ${calls.toLocaleString('en-US')} calls priced into the ledger`,
    );
    if (priced.rows >= BigInt(calls)) {
      process.stdout.write('\n');
      return priced;
    }
    if (Date.now() > deadline) {
      process.stdout.write('\n');
      const { rows: quarantined } = await pool.query<{ reason: string; n: bigint }>(
        'SELECT reason, count(*) AS n FROM tokentally.quarantine WHERE event_id LIKE $1 GROUP BY reason',
        [`demo-${run}-%`],
      );
      throw new Error(
        `the pipeline did not catch up in time (quarantined: ${quarantined.map((q) => `${q.reason}=${q.n}`).join(', ') || 'none'}); see .demo/logs/`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
