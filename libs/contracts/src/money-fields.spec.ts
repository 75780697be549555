import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SCHEMAS = path.resolve(__dirname, '../../../schemas');

interface Field {
  name: string;
  type: unknown;
}

function* fieldsOf(schema: unknown): Generator<Field> {
  if (Array.isArray(schema)) for (const branch of schema) yield* fieldsOf(branch);
  else if (schema && typeof schema === 'object') {
    const record = schema as { type?: unknown; fields?: Field[]; items?: unknown; values?: unknown };
    for (const field of record.fields ?? []) {
      yield field;
      yield* fieldsOf(field.type);
    }
    if (record.items) yield* fieldsOf(record.items);
    if (record.values) yield* fieldsOf(record.values);
  }
}

describe('money in the contracts', () => {
  it.each(readdirSync(SCHEMAS).filter((f) => f.endsWith('.avsc')))(
    '%s: every *_nanos field is a long (integer nano-USD)',
    (file) => {
      const schema: unknown = JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8'));
      const money = [...fieldsOf(schema)].filter((f) => f.name.endsWith('_nanos'));
      for (const field of money) {
        const types = Array.isArray(field.type) ? field.type.filter((t) => t !== 'null') : [field.type];
        expect({ field: field.name, types }).toEqual({ field: field.name, types: ['long'] });
      }
      const floats = [...fieldsOf(schema)].filter((f) => JSON.stringify(f.type).match(/"(float|double)"/));
      expect(floats.map((f) => f.name)).toEqual([]);
    },
  );
});
