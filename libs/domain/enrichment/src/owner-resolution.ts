import { UNATTRIBUTED, type Enforcement, type OwnerSource } from '@tokentally/contracts';
import { reject, type Outcome } from './rejection';

/** The parts of the org registry that attribute calls (from `tally org apply`, cached by the enricher). */
export interface OrgSnapshot {
  teams: ReadonlySet<string>;
  apiKeys: ReadonlyMap<string, string>; // api_key_id -> team
  serviceAccounts: ReadonlyMap<string, string>; // allow-listed service account -> team
}

export { UNATTRIBUTED, type Enforcement };

export const EMPTY_ORG: OrgSnapshot = { teams: new Set(), apiKeys: new Map(), serviceAccounts: new Map() };

export interface Owner {
  teamId: string;
  source: OwnerSource;
}

/**
 * The owner comes from the event (a team the org registry knows), else from the api key, else from an
 * allow-listed service account.
 * Without one: `hard` enforcement quarantines (MISSING_OWNER); `soft` lets the call pass as
 * `unattributed`, so its cost is visible and counted instead of lost.
 */
export function resolveOwner(
  call: { team_id: string | null; api_key_id: string | null; service_account: string | null },
  org: OrgSnapshot,
  enforcement: Enforcement,
): Outcome<Owner> {
  if (call.team_id) {
    // Without a registry (nothing applied yet) every team is taken as sent.
    if (org.teams.size === 0 || org.teams.has(call.team_id))
      return { ok: true, value: { teamId: call.team_id, source: 'event' } };
    // A team the registry does not know ("search" + a zero-width joiner, a typo) is not a new team:
    // the owner is unresolved, visible in coverage as unattributed (soft) or quarantined (hard).
    if (enforcement === 'soft') return { ok: true, value: { teamId: UNATTRIBUTED, source: 'unattributed' } };
    return reject(
      'MISSING_OWNER',
      'team_id',
      `team ${JSON.stringify(call.team_id)} is not in the org registry`,
    );
  }
  const byKey = call.api_key_id ? org.apiKeys.get(call.api_key_id) : undefined;
  if (byKey) return { ok: true, value: { teamId: byKey, source: 'api_key' } };
  const byAccount = call.service_account ? org.serviceAccounts.get(call.service_account) : undefined;
  if (byAccount) return { ok: true, value: { teamId: byAccount, source: 'service_account' } };
  if (enforcement === 'soft') return { ok: true, value: { teamId: UNATTRIBUTED, source: 'unattributed' } };
  const hints = [
    call.api_key_id && `api key "${call.api_key_id}"`,
    call.service_account && `service account "${call.service_account}"`,
  ]
    .filter(Boolean)
    .join(' or ');
  return reject(
    'MISSING_OWNER',
    'team_id',
    `no team_id, and ${hints || 'no api key or service account'} resolves to a team`,
  );
}
