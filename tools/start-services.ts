import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { up } from '@tokentally/deploy';
import { SERVICE_NAMES, defaultHttpPort, type ServiceName } from '@tokentally/platform-config';

/**
 * `npm start [-- name ...]`: brings the stack up, then runs the services (all five by default) as
 * child processes with prefixed output, waits until each answers /health, prints where they listen,
 * and forwards Ctrl-C / SIGTERM so every service shuts down gracefully.
 */
const ROOT = path.resolve(__dirname, '..');

async function waitHealthy(name: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} (see its output above)`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${name} did not become healthy within 120 s`);
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  if (process.argv.includes('--help')) {
    console.log(
      `usage: npm start [-- ${SERVICE_NAMES.join(' ')}]\n\nStarts the local stack and the named services (default: all).`,
    );
    return;
  }
  const isService = (name: string): name is ServiceName => (SERVICE_NAMES as string[]).includes(name);
  const unknown = requested.filter((name) => !isService(name));
  if (unknown.length > 0)
    throw new Error(`unknown service(s): ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);
  const names = requested.length > 0 ? requested.filter(isService) : SERVICE_NAMES;
  await up();
  const children = names.map((name) => {
    const port = Number(
      process.env[`${name.toUpperCase().replace(/-/g, '_')}_HTTP_PORT`] ?? defaultHttpPort(name),
    );
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'tools/bin/ts.js'), `services/${name}/src/main.ts`],
      {
        cwd: ROOT,
        env: { ...process.env, HTTP_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const prefix = `${name.padEnd(20)}|`;
    const relay = (stream: NodeJS.WritableStream) => (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => stream.write(`${prefix} ${line}\n`));
    child.stdout?.on('data', relay(process.stdout));
    child.stderr?.on('data', relay(process.stderr));
    return { name, port, child };
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping services (each finishes and commits its batch in flight)...`);
    children.forEach(({ child }) => child.kill('SIGTERM'));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await Promise.all(children.map(({ name, port, child }) => waitHealthy(name, port, child)));
  console.log('\nservices ready:');
  for (const { name, port } of children)
    console.log(`  ${name.padEnd(20)} http://127.0.0.1:${port}/health  /metrics`);
  console.log('Ctrl-C stops them; `npm run stack:down` stops Kafka and the registry.\n');
  await Promise.all(children.map(({ child }) => new Promise((resolve) => child.on('exit', resolve))));
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
