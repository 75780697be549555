import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { transformFile, type Options } from '@swc/core';

/**
 * `npm run build`: compiles the services, libraries and the CLI to plain CommonJS in `dist/` so
 * production runs JavaScript, not a transpiler (the source runtime, tools/bin/ts.js, stays for
 * development and tests). The output mirrors the source tree, path aliases are rewritten to relative
 * requires, and the files read at run time (schemas, migrations, the console and its chart library) are copied beside it, so
 * every `__dirname`-relative path resolves the same way in `dist/` as in the repository.
 */
const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'dist');
const SOURCES = ['libs', 'services', 'tools/cli', 'deploy'];
const ASSETS = [
  'schemas',
  'libs/platform/db/migrations',
  'services/chargeback-exporter/console',
  // the console's chart library, served from beside the code as in the repository (console.controller.ts)
  'node_modules/uplot/dist/uPlot.iife.min.js',
  'node_modules/uplot/dist/uPlot.min.css',
  'node_modules/uplot/LICENSE',
];
const SKIP = /\.(spec|int-spec|bench)\.ts$|\.d\.ts$/;

const { compilerOptions } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};

const options = (file: string): Options => ({
  filename: file,
  sourceMaps: true,
  swcrc: false,
  configFile: false,
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    baseUrl: ROOT,
    paths: compilerOptions.paths,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
});

function sourcesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(full).isDirectory()) return sourcesUnder(full);
    return full.endsWith('.ts') && !SKIP.test(full) ? [full] : [];
  });
}

/** Compiles everything into dist/ and copies the run-time assets; returns the number of files. */
export async function build(): Promise<number> {
  rmSync(OUT, { recursive: true, force: true });
  const files = SOURCES.flatMap((dir) => sourcesUnder(path.join(ROOT, dir)));
  let done = 0;
  const compile = async (file: string): Promise<void> => {
    const { code, map } = await transformFile(file, options(file));
    const target = path.join(OUT, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) writeFileSync(`${target}.map`, map);
    done += 1;
  };
  // a few files at a time: swc runs on a thread pool, and 2 cores gain nothing from more
  for (let i = 0; i < files.length; i += 16) await Promise.all(files.slice(i, i + 16).map(compile));
  for (const asset of ASSETS)
    cpSync(path.join(ROOT, asset), path.join(OUT, asset), {
      recursive: true,
      filter: (source) => !source.endsWith('.ts'),
    });
  return done;
}

/** Where the compiled entry point of a service lands. */
export function compiledServiceEntry(name: string): string {
  return path.join(OUT, 'services', name, 'src', 'main.js');
}

if (require.main === module) {
  const started = Date.now();
  build().then(
    (files) =>
      console.log(
        `build: ${files} files compiled to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ),
    (error: unknown) => {
      console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
