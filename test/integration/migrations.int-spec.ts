import type { Pool } from 'pg';
import { createPool, loadMigrations, migrate, type Migration } from '@tokentally/platform-db';
import { stackEnv } from '@tokentally/testing';

describe('versioned SQL migrations on the real PostgreSQL', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool({ connectionString: stackEnv.databaseUrl, max: 4 });
  });
  afterAll(() => pool.end());

  it('applies every migration once, even when services start concurrently', async () => {
    const results = await Promise.all([migrate(pool), migrate(pool), migrate(pool)]);
    const appliedNow = results.flatMap((r) => r.applied);
    expect(new Set(appliedNow).size).toBe(appliedNow.length);
    const { rows } = await pool.query<{ version: string }>(
      'SELECT version FROM public.tokentally_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
    const again = await migrate(pool);
    expect(again.applied).toEqual([]);
    const periods = await pool.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'tokentally' AND table_name = 'periods'",
    );
    expect(periods.rowCount).toBe(1);
  });

  it('refuses an applied migration whose file was edited', async () => {
    const edited: Migration[] = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(pool, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration and reports which one', async () => {
    const broken: Migration = {
      version: '9999',
      name: '9999_broken',
      sql: 'CREATE TABLE tokentally.x (; ',
      checksum: 'x',
    };
    await expect(migrate(pool, [...loadMigrations(), broken])).rejects.toThrow(/9999_broken failed/);
    const { rowCount } = await pool.query(
      "SELECT 1 FROM public.tokentally_migrations WHERE version = '9999'",
    );
    expect(rowCount).toBe(0);
  });
});
