import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** Reads a YAML file and validates it with a domain parser; every problem is listed by path in one error. */
export function readValidatedYaml<T>(
  file: string,
  validate: (document: unknown) => { ok: true; value: T } | { ok: false; problems: string[] },
): T {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = validate(document);
  if (!parsed.ok)
    throw new Error(
      `${file} has ${parsed.problems.length} problem(s):\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return parsed.value;
}
