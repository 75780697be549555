import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import path from 'node:path';
import { compiledServiceEntry } from './build/build';

const ROOT = path.resolve(__dirname, '..');

/**
 * Starts one service as a child process (what `npm start` and the demo run): the compiled JavaScript
 * from `npm run build` (call `build()` first), or the TypeScript source with TOKENTALLY_RUNTIME=source.
 * They run as dev unless TOKENTALLY_ENV says otherwise: a local run may use the built-in dev secrets.
 */
export function spawnService(
  name: string,
  port: number,
  env: Record<string, string> = {},
  stdio: StdioOptions = ['ignore', 'pipe', 'pipe'],
): ChildProcess {
  const entry =
    process.env['TOKENTALLY_RUNTIME'] === 'source'
      ? [path.join(ROOT, 'tools/bin/ts.js'), `services/${name}/src/main.ts`]
      : [compiledServiceEntry(name)];
  return spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { TOKENTALLY_ENV: 'dev', ...process.env, ...env, HTTP_PORT: String(port) },
    stdio,
  });
}

/** Resolves when the service answers /health with 200; fails when it exits first or after 120 s. */
export async function waitHealthy(name: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${name} did not become healthy within 120 s`);
}
