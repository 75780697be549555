import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type avro from 'avsc';
import { checkCompatibility } from './compatibility';
import { SCHEMAS_DIR, schemaFiles } from './generate-types';

const ROOT = path.resolve(__dirname, '../..');

function committedVersion(file: string): string | undefined {
  try {
    return execFileSync('git', ['show', `HEAD:schemas/${file}`], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined; // new file, or no commit yet: nothing to be compatible with
  }
}

const current = (file: string): avro.Schema =>
  JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')) as avro.Schema;

interface RecordSchema {
  type: 'record';
  name: string;
  namespace: string;
  fields: { name: string; type: unknown; default?: unknown }[];
}

describe('schema changes stay FULL-compatible with the last committed version', () => {
  it.each(schemaFiles())('%s', (file) => {
    const previous = committedVersion(file);
    const next = current(file);
    const report = checkCompatibility(previous ? (JSON.parse(previous) as avro.Schema) : next, next);
    expect(report).toEqual({ backward: [], forward: [] });
  });
});

describe('the checker catches incompatible changes (deliberately broken schemas)', () => {
  const base = current('raw-call-event.avsc') as unknown as RecordSchema;
  const variant = (change: (fields: RecordSchema['fields']) => RecordSchema['fields']): avro.Schema =>
    ({ ...base, fields: change(structuredClone(base.fields)) }) as unknown as avro.Schema;

  it('removing a required field without a default fails (old readers need it)', () => {
    const report = checkCompatibility(
      base as unknown as avro.Schema,
      variant((fields) => fields.filter((f) => f.name !== 'feature')),
    );
    expect(report.forward.join()).toMatch(/feature/);
    expect(report.backward).toEqual([]);
  });

  it('adding a required field without a default fails (new readers cannot fill it from old data)', () => {
    const report = checkCompatibility(
      base as unknown as avro.Schema,
      variant((fields) => [...fields, { name: 'cost_centre', type: 'string' }]),
    );
    expect(report.backward.join()).toMatch(/cost_centre/);
  });

  it('changing a field type long -> string fails both ways', () => {
    const report = checkCompatibility(
      base as unknown as avro.Schema,
      variant((fields) =>
        fields.map((f) =>
          f.name === 'usage'
            ? {
                ...f,
                type: {
                  ...(f.type as RecordSchema),
                  fields: (f.type as RecordSchema).fields.map((u) =>
                    u.name === 'input_tokens' ? { ...u, type: 'string' } : u,
                  ),
                },
              }
            : f,
        ),
      ),
    );
    expect(report.backward.length).toBeGreaterThan(0);
    expect(report.forward.length).toBeGreaterThan(0);
  });

  it('adding an optional field with a null default passes', () => {
    const report = checkCompatibility(
      base as unknown as avro.Schema,
      variant((fields) => [...fields, { name: 'cost_centre', type: ['null', 'string'], default: null }]),
    );
    expect(report).toEqual({ backward: [], forward: [] });
  });

  it('adding an enum symbol is safe only when the enum has a default for old readers', () => {
    const withSymbol = (enumName: string): avro.Schema =>
      variant((fields) =>
        fields.map((f) => {
          const branches = Array.isArray(f.type) ? f.type : [f.type];
          const target = branches.find(
            (b) => typeof b === 'object' && b !== null && (b as { name?: string }).name === enumName,
          ) as { symbols: string[] } | undefined;
          if (target) target.symbols = [...target.symbols, 'voice'];
          return f;
        }),
      );
    // RequestSource declares a default ("other"): an old reader maps the new symbol to it.
    expect(checkCompatibility(base as unknown as avro.Schema, withSymbol('RequestSource'))).toEqual({
      backward: [],
      forward: [],
    });
    // Environment has none, so a new symbol cannot be read by old consumers.
    expect(
      checkCompatibility(base as unknown as avro.Schema, withSymbol('Environment')).forward.length,
    ).toBeGreaterThan(0);
  });
});
