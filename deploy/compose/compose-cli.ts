import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../local/stack-config';

const SHIM = path.join(__dirname, 'docker-cli-plugins', 'docker-compose');
const DOCKER_CONFIG = path.join(REPO_ROOT, '.tmp', 'docker-config');
const DEBIAN_COMPOSE = '/usr/bin/docker-compose';

function works(env: NodeJS.ProcessEnv): boolean {
  return spawnSync('docker', ['compose', 'version'], { env, stdio: 'ignore' }).status === 0;
}

/**
 * The environment in which `docker compose ...` works. The machine's own Compose v2 plugin wins when
 * there is one; otherwise Debian's docker-compose is served to the Docker CLI through a plugin shim
 * (DOCKER_CONFIG points at a folder whose cli-plugins/ holds it). With `install`, a missing Debian
 * package is installed (root and apt-get needed), as `npm test` does; no container engine is needed
 * for `docker compose config`.
 */
export function composeEnv(
  options: { install?: boolean; log?: (line: string) => void } = {},
): NodeJS.ProcessEnv {
  if (spawnSync('docker', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      'the docker CLI is not installed: install docker (client only is enough) to validate the compose file',
    );
  }
  if (works(process.env)) return process.env;
  if (!existsSync(DEBIAN_COMPOSE)) {
    if (!options.install)
      throw new Error(`no Compose: install Debian's docker-compose (apt-get install docker-compose)`);
    if (process.getuid?.() !== 0)
      throw new Error('no Compose and not root: run `sudo apt-get install docker-compose`');
    options.log?.(
      'installing Debian docker-compose (validates deploy/docker-compose.yml without a container engine)',
    );
    const apt = { stdio: 'inherit' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
    const install = (): boolean =>
      spawnSync('apt-get', ['install', '-y', '-qq', 'docker-compose'], apt).status === 0;
    // A fresh machine may have empty package lists: refresh once, then try again.
    if (!install()) {
      execFileSync('apt-get', ['update', '-qq'], apt);
      if (!install()) throw new Error('apt-get could not install docker-compose (see above)');
    }
  }
  mkdirSync(path.join(DOCKER_CONFIG, 'cli-plugins'), { recursive: true });
  const link = path.join(DOCKER_CONFIG, 'cli-plugins', 'docker-compose');
  rmSync(link, { force: true });
  symlinkSync(SHIM, link);
  const env = { ...process.env, DOCKER_CONFIG };
  if (!works(env)) throw new Error('docker compose still does not answer through the plugin shim');
  return env;
}
