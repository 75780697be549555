import { api, serves } from './api.js';
import { figure, h, notAvailable, pct, section, share, usd } from './dom.js';
import { autoSections } from './page-reconciliation.js';

/** Unattributed share and the broken hops: the share from the statement, the hops from the coverage route. */
export async function coveragePage(ctx) {
  const statement = ctx.statement ?? (await api(`/v1/statements/${ctx.period}`));
  const out = [];
  if (ctx.me.role === 'finance') {
    const u = statement.teams.find((t) => t.team_id === 'unattributed');
    const nanos = u?.total_nanos ?? '0';
    const value = share(nanos, statement.totals.total_nanos);
    out.push(
      h(
        'div',
        { class: 'figures' },
        figure('Unattributed share', pct(value), 'target below 2%', 'unattributed-share'),
        figure('Unattributed spend', usd(nanos), `${u ? u.requests : 0} calls without an owner`),
      ),
    );
  } else out.push(h('p', {}, 'The unattributed share covers every team: finance tokens only.'));
  if (await serves('/v1/coverage')) out.push(...autoSections(await api(`/v1/coverage?period=${ctx.period}`)));
  else
    out.push(
      section(
        'Broken hops',
        notAvailable('Coverage by api key, service account, gateway and workflow (GET /v1/coverage)'),
      ),
    );
  return out;
}
