import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian packages the suites drive as real programs (not npm packages): the browser and promtool. */
export const DEBIAN_TOOLS = [
  { binary: '/usr/bin/chromium', pkg: 'chromium', why: 'the console browser suite (headless Chromium)' },
  { binary: '/usr/bin/promtool', pkg: 'prometheus', why: 'promtool check rules on deploy/prometheus' },
] as const;

/**
 * Installs each missing tool from Debian's packages (root and apt-get needed, as `npm test` runs on CI);
 * elsewhere it says exactly what to install. A fresh machine may have empty package lists: one
 * `apt-get update`, then the install again.
 */
export function ensureDebianTools(
  tools: readonly { binary: string; pkg: string; why: string }[] = DEBIAN_TOOLS,
  log: (line: string) => void = console.log,
): void {
  const missing = tools.filter((t) => !existsSync(t.binary));
  if (missing.length === 0) return;
  const packages = missing.map((t) => t.pkg);
  const needs = missing.map((t) => `${t.binary} (${t.why})`).join(', ');
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0)
    throw new Error(
      `missing ${needs}: run \`sudo apt-get install --no-install-recommends ${packages.join(' ')}\``,
    );
  log(`installing Debian ${packages.join(', ')} for ${missing.map((t) => t.why).join(' and ')}`);
  const apt = { stdio: 'inherit' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  const install = (): boolean =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], apt).status === 0;
  if (!install()) {
    execFileSync('apt-get', ['update', '-qq'], apt);
    if (!install()) throw new Error(`apt-get could not install ${packages.join(' ')} (see above)`);
  }
  const still = missing.filter((t) => !existsSync(t.binary));
  if (still.length > 0)
    throw new Error(`installed, but still missing: ${still.map((t) => t.binary).join(', ')}`);
}
