import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { RateSource, StoredCardInput, StoredFxRate, StoredRates } from '@tokentally/domain-ledger';

export interface RatesApplyResult {
  bookVersion: bigint;
  changed: boolean;
  added: string[];
  updated: string[];
  retired: string[];
  unchanged: number;
  fxRates: number;
}

const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * The user's rate book in Postgres. `apply` takes the whole desired set of cards: new cards start at
 * version 1, changed ones get the next version, missing ones are retired; nothing is deleted, so every
 * ledger row's `rate_card_id` + version still explains itself. FX rates are upserted and kept.
 */
export class RatesRepository implements RateSource {
  constructor(private readonly pool: Pool) {}

  async apply(cards: readonly StoredCardInput[], fx: readonly StoredFxRate[]): Promise<RatesApplyResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE tokentally.rate_book_versions IN EXCLUSIVE MODE');
      const active = await client.query<{ card_id: string; version: number; content_hash: string }>(
        'SELECT card_id, version, content_hash FROM tokentally.rate_cards WHERE retired_in IS NULL',
      );
      const current = new Map(active.rows.map((r) => [r.card_id, r]));
      const latestVersions = await client.query<{ card_id: string; version: number }>(
        'SELECT card_id, max(version) AS version FROM tokentally.rate_cards GROUP BY card_id',
      );
      const latest = new Map(latestVersions.rows.map((r) => [r.card_id, r.version]));
      const added: string[] = [];
      const updated: string[] = [];
      const writes: (StoredCardInput & { version: number; hash: string })[] = [];
      for (const card of cards) {
        const hash = hashOf([card.kind, card.definition]);
        const existing = current.get(card.id);
        if (existing?.content_hash === hash) continue;
        (existing ? updated : added).push(card.id);
        writes.push({ ...card, version: (latest.get(card.id) ?? 0) + 1, hash });
      }
      const wanted = new Set(cards.map((c) => c.id));
      const retired = [...current.keys()].filter((id) => !wanted.has(id));
      const fxChanged = await this.fxDiffers(client, fx);
      if (writes.length === 0 && retired.length === 0 && !fxChanged) {
        const version = await client.query<{ version: bigint }>(
          'SELECT coalesce(max(version), 0) AS version FROM tokentally.rate_book_versions',
        );
        await client.query('ROLLBACK');
        return {
          bookVersion: version.rows[0]?.version ?? 0n,
          changed: false,
          added,
          updated,
          retired,
          unchanged: cards.length,
          fxRates: fx.length,
        };
      }
      const summary = { added, updated, retired, fx: fx.length };
      const book = await client.query<{ version: bigint }>(
        'INSERT INTO tokentally.rate_book_versions (content_hash, summary) VALUES ($1, $2) RETURNING version',
        [hashOf([cards, fx]), JSON.stringify(summary)],
      );
      const bookVersion = book.rows[0]?.version ?? 0n;
      await client.query(
        'UPDATE tokentally.rate_cards SET retired_in = $1 WHERE retired_in IS NULL AND card_id = ANY($2::text[])',
        [bookVersion, [...retired, ...updated]],
      );
      if (writes.length > 0)
        await client.query(
          `INSERT INTO tokentally.rate_cards (card_id, version, kind, definition, content_hash, created_in)
           SELECT id, version, kind, definition, hash, $6
             FROM UNNEST($1::text[], $2::int4[], $3::text[], $4::jsonb[], $5::text[]) AS t(id, version, kind, definition, hash)`,
          [
            writes.map((w) => w.id),
            writes.map((w) => w.version),
            writes.map((w) => w.kind),
            writes.map((w) => JSON.stringify(w.definition)),
            writes.map((w) => w.hash),
            bookVersion,
          ],
        );
      if (fx.length > 0)
        await client.query(
          `INSERT INTO tokentally.fx_rates (currency, effective_from, usd_per_unit)
           SELECT * FROM UNNEST($1::text[], $2::timestamptz[], $3::numeric[])
           ON CONFLICT (currency, effective_from) DO UPDATE SET usd_per_unit = EXCLUDED.usd_per_unit`,
          [fx.map((r) => r.currency), fx.map((r) => r.effectiveFrom), fx.map((r) => r.usdPerUnit)],
        );
      await client.query('COMMIT');
      return {
        bookVersion,
        changed: true,
        added,
        updated,
        retired,
        unchanged: cards.length - writes.length,
        fxRates: fx.length,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async fxDiffers(client: { query: Pool['query'] }, fx: readonly StoredFxRate[]): Promise<boolean> {
    if (fx.length === 0) return false;
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM UNNEST($1::text[], $2::timestamptz[], $3::numeric[]) AS t(currency, effective_from, usd_per_unit)
        WHERE NOT EXISTS (SELECT 1 FROM tokentally.fx_rates f WHERE f.currency = t.currency
                            AND f.effective_from = t.effective_from AND f.usd_per_unit = t.usd_per_unit)`,
      [fx.map((r) => r.currency), fx.map((r) => r.effectiveFrom), fx.map((r) => r.usdPerUnit)],
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  /** The active cards, every FX rate, and the book version (services reload when it moves). */
  async load(): Promise<StoredRates> {
    const [version, cards, fx] = await Promise.all([
      this.version(),
      this.pool.query<{
        card_id: string;
        version: number;
        kind: 'prices' | 'multiplier';
        definition: Record<string, unknown>;
      }>(
        'SELECT card_id, version, kind, definition FROM tokentally.rate_cards WHERE retired_in IS NULL ORDER BY card_id',
      ),
      this.pool.query<{ currency: string; effective_from: Date; usd_per_unit: string }>(
        'SELECT currency, effective_from, usd_per_unit::text FROM tokentally.fx_rates ORDER BY currency, effective_from',
      ),
    ]);
    return {
      version,
      cards: cards.rows.map((r) => ({
        id: r.card_id,
        version: r.version,
        kind: r.kind,
        definition: r.definition,
      })),
      fx: fx.rows.map((r) => ({
        currency: r.currency,
        effectiveFrom: r.effective_from,
        usdPerUnit: r.usd_per_unit,
      })),
    };
  }

  async version(): Promise<bigint> {
    const { rows } = await this.pool.query<{ version: bigint }>(
      'SELECT coalesce(max(version), 0) AS version FROM tokentally.rate_book_versions',
    );
    return rows[0]?.version ?? 0n;
  }
}
