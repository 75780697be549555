import type { Command } from 'commander';
import { refsOf } from '@tokentally/domain-enrichment';
import {
  deploymentEnv,
  loadConfig,
  pseudonymEnv,
  pseudonymKeyringOf,
  refinePseudonymEnv,
  serviceSchema,
} from '@tokentally/platform-config';

const env = serviceSchema({ ...deploymentEnv, ...pseudonymEnv }).superRefine(refinePseudonymEnv);

/**
 * `tally refs <id>`: the user/tenant refs a raw id is stored under, one per key of the ring (current,
 * and the previous key during a rotation), e.g. to find or erase every call of one person in the
 * ledger (`WHERE user_ref = ANY(...)`). Needs the enricher's PSEUDONYM_* settings.
 */
export function registerRefsCommand(program: Command): void {
  program
    .command('refs')
    .description('the user_ref / tenant_ref of a raw user or tenant id under each pseudonym key in use')
    .argument('<id>', 'raw user_id or tenant_id')
    .option('--json', 'print a JSON array')
    .action((id: string, options: { json?: boolean }) => {
      const refs = refsOf(id, pseudonymKeyringOf(loadConfig('tally refs', env)));
      console.log(options.json ? JSON.stringify(refs) : refs.join('\n'));
    });
}
