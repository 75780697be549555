import { sampleStatement } from './spec-fixtures';
import { statementFromJson, toJsonValue } from './statement-json';

describe('stored statement JSON', () => {
  it('round-trips: money and counts come back as BigInt, exactly', () => {
    const statement = sampleStatement();
    const stored = JSON.stringify(toJsonValue(statement));
    expect(stored).toContain('"direct_nanos":"1001000000001"');
    expect(statementFromJson(stored)).toEqual(statement);
  });

  it('leaves text that looks like a number alone unless it is a money or count field', () => {
    const back = statementFromJson('{"period":"2026","teams":[],"totals":{"total_nanos":"-12"},"key":"42"}');
    expect(back).toMatchObject({ period: '2026', totals: { total_nanos: -12n }, key: '42' });
  });
});
