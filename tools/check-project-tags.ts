import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// Fails when a project has no (or an unknown) `type:` tag, or a folder with source files under libs/
// or services/ is not an Nx project at all: untagged code would escape the module boundaries silently.
const ROOT = path.resolve(__dirname, '..');
const KNOWN = new Set([
  'type:app',
  'type:domain',
  'type:contracts',
  'type:platform',
  'type:adapter',
  'type:sdk',
  'type:testing',
  'type:tool',
  'type:e2e',
]);
const SKIP = new Set(['node_modules', '.stack', '.nx', 'dist', 'coverage', '.git', '.tmp']);

function* projectFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* projectFiles(full);
    else if (entry === 'project.json') yield full;
  }
}

export function checkProjectTags(root = ROOT): string[] {
  const problems: string[] = [];
  const projectDirs = new Set<string>();
  for (const file of projectFiles(root)) {
    const rel = path.relative(root, file);
    projectDirs.add(path.dirname(file));
    const project = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; tags?: string[] };
    const typeTags = (project.tags ?? []).filter((tag) => tag.startsWith('type:'));
    if (typeTags.length !== 1)
      problems.push(`${rel}: needs exactly one type: tag, has ${JSON.stringify(project.tags ?? [])}`);
    for (const tag of typeTags)
      if (!KNOWN.has(tag)) problems.push(`${rel}: unknown tag ${tag} (known: ${[...KNOWN].join(', ')})`);
  }
  for (const container of [
    'libs',
    'services',
    path.join('libs', 'domain'),
    path.join('libs', 'platform'),
    path.join('libs', 'adapters'),
  ]) {
    const dir = path.join(root, container);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const candidate = path.join(dir, entry);
      if (existsSync(path.join(candidate, 'src')) && !projectDirs.has(candidate)) {
        problems.push(`${path.relative(root, candidate)}: has src/ but no project.json with tags`);
      }
    }
  }
  return problems;
}

if (require.main === module) {
  const problems = checkProjectTags();
  if (problems.length > 0) {
    console.error(
      `project tags: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log('project tags: every project has exactly one known type: tag');
}
