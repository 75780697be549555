import type { RawCallEvent } from '@tokentally/contracts';

/**
 * What one ingest token may book: any team (an org-wide token), only some teams, and/or only as one
 * gateway. A token for the Search gateway cannot book to Finance: `teams` and `gateway` both bind.
 */
export interface IngestScope {
  /** Teams the token may book to; undefined: any team. */
  teams?: readonly string[];
  /** The gateway the token belongs to; undefined: any gateway. */
  gateway?: string;
}

export type ScopeCheck =
  { ok: true; value: RawCallEvent } | { ok: false; field: 'team_id' | 'gateway_id'; message: string };

/**
 * An event within the token's scope, as it will be booked, or why not. A team-scoped token must name
 * the team (an owner found later from an api key could be anyone's); a gateway token's events carry
 * its gateway id (stamped when the producer left it out, refused when it names another).
 */
export function checkIngestScope(event: RawCallEvent, scope: IngestScope): ScopeCheck {
  if (scope.teams !== undefined) {
    if (event.team_id === null || event.team_id === '')
      return {
        ok: false,
        field: 'team_id',
        message: `this ingest token books only to team(s) ${scope.teams.join(', ')}: send team_id`,
      };
    if (!scope.teams.includes(event.team_id))
      return {
        ok: false,
        field: 'team_id',
        message: `this ingest token may not book to team "${event.team_id}" (its teams: ${scope.teams.join(', ')})`,
      };
  }
  if (scope.gateway === undefined) return { ok: true, value: event };
  if (event.gateway_id === null || event.gateway_id === '')
    return { ok: true, value: { ...event, gateway_id: scope.gateway } };
  if (event.gateway_id !== scope.gateway)
    return {
      ok: false,
      field: 'gateway_id',
      message: `this ingest token belongs to gateway "${scope.gateway}", not "${event.gateway_id}"`,
    };
  return { ok: true, value: event };
}

/**
 * One INGEST_TOKENS entry: `<token>` (any team), then optional `:teams=<a>+<b>` and `:gateway=<id>`,
 * e.g. `s3cr...:gateway=search-gw:teams=search`. Errors never quote the token.
 */
export function parseIngestTokenEntry(
  entry: string,
  minLength: number,
): { ok: true; token: string; scope: IngestScope } | { ok: false; message: string } {
  const [token = '', ...parts] = entry.split(':');
  if (token.length < minLength)
    return { ok: false, message: `a token needs at least ${minLength} characters` };
  const scope: { teams?: string[]; gateway?: string } = {};
  for (const part of parts) {
    const [key, value = ''] = part.split('=', 2);
    if (key === 'teams' && value !== '' && scope.teams === undefined)
      scope.teams = value.split('+').map((team) => team.trim());
    else if (key === 'gateway' && value !== '' && scope.gateway === undefined) scope.gateway = value.trim();
    else
      return {
        ok: false,
        message: `expected :teams=<team>[+<team>...] or :gateway=<gateway_id> after the token`,
      };
  }
  if (scope.teams?.some((team) => team === '')) return { ok: false, message: 'empty team in :teams=' };
  return { ok: true, token, scope };
}
