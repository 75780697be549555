import { columnsOf, escapeFormula, parseCsv, writeCsv, type CsvColumn } from './csv';

describe('escapeFormula (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+1+cmd|calc', `'+1+cmd|calc`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['\uFF1D1+1', `'\uFF1D1+1`],
    ['search', 'search'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j -> %j', (input, output) => expect(escapeFormula(input)).toBe(output));
});

describe('writeCsv', () => {
  const columns: CsvColumn[] = [...columnsOf('text', ['team', 'feature']), ...columnsOf('number', ['usd'])];

  it('escapes text cells, keeps negative numbers numeric, quotes as RFC 4180 says', () => {
    const csv = writeCsv(columns, [
      ['search', '=1+1', '-12.5'],
      ['a,b', 'say "hi"\nbye', null],
      ['-team', '@x', '0'],
    ]);
    expect(csv).toBe('team,feature,usd\nsearch,\'=1+1,-12.5\n"a,b","say ""hi""\nbye",\n\'-team,\'@x,0\n');
    expect(parseCsv(csv).rows).toEqual([
      { team: 'search', feature: "'=1+1", usd: '-12.5' },
      { team: 'a,b', feature: 'say "hi"\nbye', usd: null },
      { team: "'-team", feature: "'@x", usd: '0' },
    ]);
  });

  it('refuses a number column value that is not a decimal (a formula cannot hide there)', () => {
    expect(() => writeCsv(columns, [['a', 'b', '=1+1']])).toThrow(/usd: "=1\+1" is not a decimal/);
    expect(() => writeCsv(columns, [['a', 'b', '1e5']])).toThrow(/not a decimal/);
  });
});

describe('parseCsv', () => {
  it('reads quoted cells, CRLF line ends and empty cells as null', () => {
    expect(parseCsv('a,b\r\n"x,1",\r\n')).toEqual({ header: ['a', 'b'], rows: [{ a: 'x,1', b: null }] });
  });
});
