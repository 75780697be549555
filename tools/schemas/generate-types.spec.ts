import { readFileSync } from 'node:fs';
import { OUTPUT, generate, generateFromDisk } from './generate-types';

describe('types generated from the Avro schemas', () => {
  it('are committed exactly as the generator makes them (run `npm run schemas:gen` if not)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(generateFromDisk());
  });

  it('map Avro to TypeScript: nullable unions, maps, arrays, enums, logical timestamps, bytes', () => {
    const out = generate([
      {
        file: 't.avsc',
        schema: {
          type: 'record',
          name: 'T',
          namespace: 'tokentally.v1',
          doc: 'A test record.',
          fields: [
            { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'epoch ms' },
            { name: 'maybe', type: ['null', 'string'], default: null },
            { name: 'tags', type: { type: 'map', values: 'long' } },
            { name: 'list', type: { type: 'array', items: ['null', 'int'] } },
            { name: 'raw', type: 'bytes' },
            { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['a', 'b'] } },
          ],
        },
      },
    ]);
    expect(out).toContain("export const KIND_SYMBOLS = ['a', 'b'] as const;");
    expect(out).toContain('export type Kind = (typeof KIND_SYMBOLS)[number];');
    expect(out).toContain('/** A test record. */\nexport interface T {');
    expect(out).toContain('  /** epoch ms */\n  at: number;');
    expect(out).toContain('  maybe: null | string;');
    expect(out).toContain('  tags: Record<string, number>;');
    expect(out).toContain('  list: (null | number)[];');
    expect(out).toContain('  raw: Buffer;');
    expect(out).toContain('  kind: Kind;');
  });

  it('refuses one name for two different shapes across files', () => {
    const enumOf = (symbols: string[]) => ({
      type: 'record',
      name: 'R',
      fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols } }],
    });
    expect(() =>
      generate([
        { file: 'a.avsc', schema: enumOf(['x']) },
        { file: 'b.avsc', schema: enumOf(['x', 'y']) },
      ]),
    ).toThrow(/named type E differs between a.avsc and b.avsc/);
  });
});
