import type { MatchLogic } from '@pydantic/genai-prices';

/**
 * The catalog matches model ids loosely (mostly `starts_with`), so `claude-sonnet-4-5-max` or
 * `gemini-2.5-pro-ultra` would be priced silently as their family. tokentally takes a catalog match
 * only when the id is one the entry names (an alias: `equals`, or exactly a prefix / suffix it lists),
 * or such an id followed by version suffixes: a date (`-20250929`, `@20250929`, `-2024-08-06`), a
 * revision number (`-001`, `-0324`), `-latest`, a Bedrock version (`-v1:0`), or a preview date; Bedrock
 * and Vertex paths may put a region or path before it (`us.`, `models/`). Anything else is unknown.
 */
const VERSION_SUFFIX =
  /(?:[-@]\d{8}|-\d{4}-\d{2}-\d{2}|-\d{3,4}|-latest|-v\d+(?::\d+)?|:\d+|-preview-\d{2}-(?:\d{2}|\d{4}))$/;
const PATH_PREFIX = /^(?:[a-z0-9-]+[./])+$/;

/** The id, then the id without one trailing version suffix, then without two, ... */
function stems(id: string): string[] {
  const out = [id];
  let current = id;
  for (let match = VERSION_SUFFIX.exec(current); match; match = VERSION_SUFFIX.exec(current)) {
    current = current.slice(0, match.index);
    if (current === '') break;
    out.push(current);
  }
  return out;
}

/** The catalog's own semantics, for the clauses (regex filters) that only narrow a match. */
function matches(logic: MatchLogic, id: string): boolean {
  if ('or' in logic) return logic.or.some((clause) => matches(clause, id));
  if ('and' in logic) return logic.and.every((clause) => matches(clause, id));
  if ('equals' in logic) return id === logic.equals;
  if ('starts_with' in logic) return id.startsWith(logic.starts_with);
  if ('ends_with' in logic) return id.endsWith(logic.ends_with);
  if ('contains' in logic) return id.includes(logic.contains);
  return new RegExp(logic.regex).test(id);
}

/** Whether `stem` is exactly a name the clause lists (a path prefix allowed before a suffix/contained name). */
function names(logic: MatchLogic, stem: string): boolean {
  if ('or' in logic) return logic.or.some((clause) => names(clause, stem));
  if ('and' in logic)
    return logic.and.every((clause) => matches(clause, stem)) && logic.and.some((c) => names(c, stem));
  if ('equals' in logic) return stem === logic.equals;
  if ('starts_with' in logic) return stem === logic.starts_with;
  const named = 'ends_with' in logic ? logic.ends_with : 'contains' in logic ? logic.contains : undefined;
  if (named === undefined) return false; // a regex alone never says an id is known
  return stem === named || (stem.endsWith(named) && PATH_PREFIX.test(stem.slice(0, -named.length)));
}

/** Whether the catalog entry with this match logic may price `id` (see above). */
export function isKnownModelId(logic: MatchLogic, id: string): boolean {
  return stems(id).some((stem) => names(logic, stem));
}
