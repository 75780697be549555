// The console shell: sign-in, navigation, period and team pickers, and one page at a time (hash routes).
import { api, session } from './api.js';
import { errorBox, h } from './dom.js';
import { overviewPage } from './page-overview.js';
import { burnPage } from './page-burn.js';
import { efficiencyPage } from './page-efficiency.js';
import { anomaliesPage } from './page-anomalies.js';
import { reconciliationPage } from './page-reconciliation.js';
import { coveragePage } from './page-coverage.js';
import { opsPage } from './page-ops.js';

const PAGES = [
  { id: 'overview', title: 'Overview', render: overviewPage },
  { id: 'burn', title: 'Team burn', render: burnPage },
  { id: 'efficiency', title: 'Model efficiency', render: efficiencyPage },
  { id: 'anomalies', title: 'Anomalies', render: anomaliesPage },
  { id: 'reconciliation', title: 'Reconciliation', render: reconciliationPage },
  { id: 'coverage', title: 'Coverage', render: coveragePage },
  { id: 'ops', title: 'Ops', render: opsPage },
];

const thisMonth = () => new Date().toISOString().slice(0, 7);
let me = null;
let rendering = 0;
let firstRender = true;

function route() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const page = PAGES.find((p) => p.id === path) ?? PAGES[0];
  return { page, params: new URLSearchParams(query) };
}

const href = (page, params) => `#/${page}?${params.toString()}`;

function withParam(params, name, value) {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}

function loginPage(root, message) {
  const input = h('input', {
    type: 'password',
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    required: true,
  });
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: (event) => {
        event.preventDefault();
        session.save(input.value.trim());
        me = null;
        void render();
      },
    },
    h('h1', {}, 'tokentally'),
    h(
      'p',
      {},
      'Sign in with your finance API token. A finance token sees every team; a team token sees only its own team.',
    ),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
  );
  root.replaceChildren(form);
  document.body.dataset.page = 'login';
  document.body.dataset.ready = 'true';
}

function header(page, ctx) {
  const { params } = ctx;
  const period = h('input', {
    type: 'month',
    id: 'period',
    value: ctx.period,
    'aria-label': 'Billing period',
    onchange: (e) => (location.hash = href(page.id, withParam(params, 'period', e.target.value))),
  });
  const controls = [h('label', {}, 'Period ', period)];
  if (ctx.me.role === 'finance' && ctx.teams) {
    const select = h(
      'select',
      {
        id: 'team',
        'aria-label': 'Team',
        onchange: (e) => (location.hash = href(page.id, withParam(params, 'team', e.target.value))),
      },
      h('option', { value: '' }, 'All teams'),
      ctx.teams.map((t) =>
        h('option', { value: t.team_id, selected: t.team_id === ctx.team }, t.name || t.team_id),
      ),
    );
    controls.push(h('label', {}, 'Team ', select));
  }
  const who = ctx.me.role === 'finance' ? 'finance (all teams)' : `team ${ctx.me.team}`;
  return h(
    'header',
    {},
    h('div', { class: 'brand' }, 'tokentally'),
    h(
      'nav',
      {},
      PAGES.map((p) =>
        h('a', { href: href(p.id, params), class: p.id === page.id ? 'active' : null }, p.title),
      ),
    ),
    h(
      'div',
      { class: 'controls' },
      controls,
      h('span', { class: 'who', 'data-testid': 'who' }, who),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => {
            session.clear();
            me = null;
            void render();
          },
        },
        'Sign out',
      ),
    ),
  );
}

async function render() {
  const run = ++rendering;
  const root = document.getElementById('app');
  document.body.dataset.ready = 'false';
  if (!session.token()) return loginPage(root);
  try {
    me ??= await api('/v1/session');
  } catch (error) {
    session.clear();
    return loginPage(root, error.status === 401 ? 'That token was not accepted.' : error.message);
  }
  const { page, params } = route();
  const period = /^\d{4}-\d{2}$/.test(params.get('period') ?? '') ? params.get('period') : thisMonth();
  const team = params.get('team') || (me.role === 'team' ? me.team : null);
  // the period's statement: teams for the picker, reused by the pages
  const statement = await api(`/v1/statements/${period}`).catch(() => null);
  const ctx = {
    period,
    team,
    me,
    params,
    teams: statement?.teams.filter((t) => t.team_id !== 'unattributed'),
    statement,
  };
  const main = h('main', { id: 'page' }, h('h1', {}, page.title), h('p', { class: 'loading' }, 'Loading…'));
  root.replaceChildren(header(page, ctx), main);
  let content;
  try {
    content = await page.render(ctx);
  } catch (error) {
    content = [errorBox(error)];
  }
  if (run !== rendering) return; // a newer navigation started meanwhile
  main.replaceChildren(h('h1', {}, page.title), ...content);
  document.title = `${page.title} · tokentally`;
  document.body.dataset.page = page.id;
  document.body.dataset.ready = 'true';
  if (firstRender) {
    firstRender = false;
    performance.mark('tokentally:first-render');
  }
}

window.addEventListener('hashchange', () => void render());
window.addEventListener('tokentally:signed-out', () => {
  me = null;
});
void render();
