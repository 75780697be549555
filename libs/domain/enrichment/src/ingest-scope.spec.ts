import type { RawCallEvent } from '@tokentally/contracts';
import { checkIngestScope, parseIngestTokenEntry, type IngestScope } from './ingest-scope';

const event = (team: string | null, gateway: string | null): RawCallEvent =>
  ({ event_id: 'e1', team_id: team, gateway_id: gateway }) as unknown as RawCallEvent;

describe('checkIngestScope', () => {
  const search: IngestScope = { teams: ['search', 'search-ml'], gateway: 'search-gw' };

  it.each<[string, IngestScope, string | null, string | null, string | null]>([
    ['org-wide token, any team', {}, 'finance', null, null],
    ['team in scope', search, 'search-ml', 'search-gw', null],
    ['the Search gateway books to Finance', search, 'finance', 'search-gw', 'team_id'],
    ['team-scoped token without team_id', search, null, 'search-gw', 'team_id'],
    ['another gateway', search, 'search', 'billing-gw', 'gateway_id'],
    ['gateway-only token, any team', { gateway: 'search-gw' }, 'finance', 'search-gw', null],
  ])('%s', (_case, scope, team, gateway, refusedField) => {
    const result = checkIngestScope(event(team, gateway), scope);
    expect(result.ok ? null : result.field).toBe(refusedField);
  });

  it("stamps a gateway token's id on events that name no gateway", () => {
    const result = checkIngestScope(event('search', null), search);
    expect(result.ok && result.value.gateway_id).toBe('search-gw');
  });
});

describe('parseIngestTokenEntry', () => {
  const long = 'x'.repeat(24);
  it.each([
    [long, { ok: true, token: long, scope: {} }],
    [`${long}:teams=search+ads`, { ok: true, scope: { teams: ['search', 'ads'] } }],
    [
      `${long}:gateway=search-gw:teams=search`,
      { ok: true, scope: { gateway: 'search-gw', teams: ['search'] } },
    ],
    ['ab', { ok: false, message: 'a token needs at least 24 characters' }],
    [`${long}:team:search`, { ok: false }],
    [`${long}:teams=`, { ok: false }],
    [`${long}:teams=a++b`, { ok: false }],
  ])('%s', (entry, expected) => {
    const parsed = parseIngestTokenEntry(entry, 24);
    expect(parsed).toMatchObject(expected);
    if (!parsed.ok) expect(parsed.message).not.toContain(long);
  });
});
