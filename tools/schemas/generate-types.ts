import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Generates TypeScript types from `schemas/*.avsc` into libs/contracts/src/generated/schemas.ts, so
 * the types can never drift from the Avro contracts. `--check` writes nothing and exits 1 if the
 * committed output differs (the test suite runs it). Named types defined in several schema files
 * (Environment, BillableBuckets, ...) are emitted once and must be identical wherever they appear.
 */
const ROOT = path.resolve(__dirname, '../..');
export const SCHEMAS_DIR = path.join(ROOT, 'schemas');
export const OUTPUT = path.join(ROOT, 'libs/contracts/src/generated/schemas.ts');

type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };
interface Named {
  name: string;
  definition: string;
  source: string;
  canonical: string;
}

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

const shortName = (name: string): string => name.split('.').pop() ?? name;
const constName = (name: string): string =>
  `${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_SYMBOLS`;
const docComment = (doc: unknown, indent = ''): string =>
  typeof doc === 'string' && doc.length > 0 ? `${indent}/** ${doc.replace(/\*\//g, '*\\/')} */\n` : '';

class Generator {
  readonly named = new Map<string, Named>();

  typeOf(schema: AvroSchema, source: string): string {
    if (typeof schema === 'string') return PRIMITIVES[schema] ?? shortName(schema);
    if (Array.isArray(schema)) return schema.map((branch) => this.typeOf(branch, source)).join(' | ');
    const type = schema['type'] as AvroSchema;
    switch (type) {
      case 'record':
        return this.record(schema, source);
      case 'enum':
        return this.enumeration(schema, source);
      case 'map':
        return `Record<string, ${this.typeOf(schema['values'] as AvroSchema, source)}>`;
      case 'array':
        return `${this.wrap(this.typeOf(schema['items'] as AvroSchema, source))}[]`;
      default:
        // Primitive with attributes, e.g. {"type": "long", "logicalType": "timestamp-millis"}: epoch millis.
        return this.typeOf(type, source);
    }
  }

  private wrap(type: string): string {
    return type.includes('|') ? `(${type})` : type;
  }

  private record(schema: Record<string, unknown>, source: string): string {
    const name = shortName(String(schema['name']));
    const fields = (schema['fields'] as Record<string, unknown>[]).map(
      (field) =>
        `${docComment(field['doc'], '  ')}  ${String(field['name'])}: ${this.typeOf(field['type'] as AvroSchema, source)};`,
    );
    this.define(
      name,
      source,
      JSON.stringify(schema),
      `${docComment(schema['doc'])}export interface ${name} {\n${fields.join('\n')}\n}`,
    );
    return name;
  }

  private enumeration(schema: Record<string, unknown>, source: string): string {
    const name = shortName(String(schema['name']));
    const symbols = (schema['symbols'] as string[]).map((s) => `'${s}'`).join(', ');
    const constant = constName(name);
    this.define(
      name,
      source,
      JSON.stringify(schema),
      `${docComment(schema['doc'])}export const ${constant} = [${symbols}] as const;\nexport type ${name} = (typeof ${constant})[number];`,
    );
    return name;
  }

  private define(name: string, source: string, canonical: string, definition: string): void {
    const existing = this.named.get(name);
    if (existing && existing.canonical !== canonical) {
      throw new Error(
        `named type ${name} differs between ${existing.source} and ${source}: a shared name must mean one shape`,
      );
    }
    if (!existing) this.named.set(name, { name, definition, source, canonical });
  }
}

export function schemaFiles(dir: string = SCHEMAS_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.avsc'))
    .sort();
}

export function generate(schemas: { file: string; schema: AvroSchema }[]): string {
  const generator = new Generator();
  for (const { file, schema } of schemas) generator.typeOf(schema, file);
  const header = [
    `// Generated from schemas/*.avsc by tools/schemas/generate-types.ts: do not edit, run \`npm run schemas:gen\`.`,
    `// Sources: ${schemas.map((s) => s.file).join(', ')}`,
    '',
  ].join('\n');
  return `${header}\n${[...generator.named.values()].map((n) => n.definition).join('\n\n')}\n`;
}

export function generateFromDisk(dir: string = SCHEMAS_DIR): string {
  return generate(
    schemaFiles(dir).map((file) => ({
      file,
      schema: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as AvroSchema,
    })),
  );
}

if (require.main === module) {
  const output = generateFromDisk();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUTPUT, 'utf8');
    if (current !== output) {
      console.error(
        `${path.relative(ROOT, OUTPUT)} is out of date with schemas/: run \`npm run schemas:gen\``,
      );
      process.exit(1);
    }
    console.log('generated types are up to date with schemas/');
  } else {
    writeFileSync(OUTPUT, output);
    console.log(`wrote ${path.relative(ROOT, OUTPUT)} from ${schemaFiles().length} schemas`);
  }
}
