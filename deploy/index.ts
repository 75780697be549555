export { up, status } from './local/stack';
export { STACK_DIR, REPO_ROOT, stackConfig } from './local/stack-config';
export { isAlive } from './local/processes';
export { composeEnv } from './compose/compose-cli';
export { ensureDebianTools, DEBIAN_TOOLS } from './local/debian-tools';
