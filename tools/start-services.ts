import { up } from '@tokentally/deploy';
import { SERVICE_NAMES, defaultHttpPort, type ServiceName } from '@tokentally/platform-config';
import { build } from './build/build';
import { spawnService, waitHealthy } from './services';

/**
 * `npm start [-- name ...]`: brings the stack up, then runs the services (all five by default) as
 * child processes with prefixed output, waits until each answers /health, prints where they listen,
 * and forwards Ctrl-C / SIGTERM so every service shuts down gracefully.
 */
async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  if (process.argv.includes('--help')) {
    console.log(
      `usage: npm start [-- ${SERVICE_NAMES.join(' ')}]\n\nStarts the local stack and the named services (default: all), compiled to dist/ first\n(TOKENTALLY_RUNTIME=source runs the TypeScript source instead).`,
    );
    return;
  }
  const isService = (name: string): name is ServiceName => (SERVICE_NAMES as string[]).includes(name);
  const unknown = requested.filter((name) => !isService(name));
  if (unknown.length > 0)
    throw new Error(`unknown service(s): ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);
  const names = requested.length > 0 ? requested.filter(isService) : SERVICE_NAMES;
  await up();
  if (process.env['TOKENTALLY_RUNTIME'] !== 'source') await build();
  const children = names.map((name) => {
    const port = Number(
      process.env[`${name.toUpperCase().replace(/-/g, '_')}_HTTP_PORT`] ?? defaultHttpPort(name),
    );
    const child = spawnService(name, port);
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
