import { parseCsv } from './csv';
import { sampleStatement, usageRow, USD } from './spec-fixtures';
import { statementCsv } from './statement-csv';

describe('statementCsv', () => {
  it('has one row per team and per team x dimension value', () => {
    const statement = sampleStatement();
    const csv = statementCsv(statement).trim().split('\n');
    expect(csv[0]).toBe(
      'period,team_id,team_name,cost_centre,owner,dimension,key,direct_usd,allocated_usd,total_usd,total_nanos,previous_total_usd,change_percent,requests,scope,budget_mode,reason_code,approver,expires_at,note,limit_usd,override_usd,above_budget_usd,above_budget_nanos',
    );
    expect(csv).toContain(
      '2026-10,search,Search,CC-100,alice,feature,summaries,1000,0,1000,1000000000000,0,,10,,,,,,,,,,',
    );
    expect(csv.filter((l) => l.split(',')[5] === 'total')).toHaveLength(statement.teams.length);
  });

  it('escapes user text that a spreadsheet would run as a formula; negative amounts stay numbers', () => {
    const statement = sampleStatement([
      usageRow('search', 5n, { feature: '=HYPERLINK("http://evil.example","click")' }),
      usageRow('search', 1n, { feature: '@SUM(1+1)', workflow: '-2+3', model: '+cmd|calc' }),
    ]);
    statement.teams = statement.teams.map((t) => (t.team_id === 'search' ? { ...t, name: '\t=1+1' } : t));
    const { rows } = parseCsv(statementCsv(statement));
    const keys = rows.map((r) => r.key ?? '');
    expect(keys).toEqual(
      expect.arrayContaining([
        `'=HYPERLINK("http://evil.example","click")`,
        "'@SUM(1+1)",
        "'-2+3",
        "'+cmd|calc",
      ]),
    );
    expect(rows.filter((r) => r.team_id === 'platform' && r.dimension === 'total')[0]).toMatchObject({
      allocated_usd: '-1001.000000001',
      total_usd: '0',
    });
    expect(rows.find((r) => r.team_id === 'search')?.team_name).toBe("'\t=1+1");
    // every text cell that began with a formula sign now begins with a quote
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        if (!/_usd$|_nanos$|percent|requests/.test(column)) expect(value ?? '').not.toMatch(/^[=+\-@\t\r]/);
    expect(
      BigInt(rows.find((r) => r.team_id === 'search' && r.dimension === 'total')?.total_nanos ?? ''),
    ).toBeGreaterThan(USD);
  });
});
