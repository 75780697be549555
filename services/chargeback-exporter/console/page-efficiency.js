import { api } from './api.js';
import { hbars } from './charts.js';
import { count, figure, h, pct, section, table, usd, usdFine } from './dom.js';

/** Per model and feature: cost per request and per successful outcome, tokens, cache hits, premium on short calls. */
export async function efficiencyPage(ctx) {
  const q = ctx.team ? `?team=${encodeURIComponent(ctx.team)}` : '';
  const e = await api(`/v1/efficiency/${ctx.period}${q}`);
  const perSuccess = e.lines.filter((l) => l.cost_per_success_nanos !== null).slice(0, 12);
  return [
    h(
      'p',
      { class: 'scope' },
      'A successful outcome is a request (trace) in which at least one call succeeded; its cost is every attempt of the request, retries and fallbacks included, counted on the model it started with.',
    ),
    h(
      'div',
      { class: 'figures' },
      figure('Short calls', count(e.short_calls), `under ${count(e.short_call_tokens)} tokens`),
      figure(
        'Premium model on short calls',
        pct(e.premium_short_percent),
        `${count(e.premium_short_calls)} calls costing ${usd(e.premium_short_nanos)}`,
        'premium-short',
      ),
      figure(
        'Premium models',
        e.premium_models.length ? e.premium_models.join(', ') : 'none',
        `input at $${(Number(e.premium_input_nanos_per_token) / 1000).toFixed(2)} per million tokens or more`,
      ),
    ),
    section(
      'Cost per successful outcome',
      hbars(
        perSuccess.map((l) => ({
          label: `${l.model} · ${l.feature}`,
          value: l.cost_per_success_nanos,
          text: usdFine(l.cost_per_success_nanos),
          warn: l.premium,
        })),
      ),
    ),
    section(
      'By model and feature',
      table(
        [
          {
            label: 'Model',
            value: (l) =>
              l.premium ? h('span', {}, l.model, ' ', h('span', { class: 'tag' }, 'premium')) : l.model,
          },
          { label: 'Feature', value: (l) => l.feature },
          { label: 'Cost', num: true, value: (l) => usd(l.total_nanos) },
          { label: 'Calls', num: true, value: (l) => count(l.calls) },
          { label: 'Per request', num: true, value: (l) => usdFine(l.cost_per_request_nanos) },
          {
            label: 'Requests ok / all',
            num: true,
            value: (l) => `${count(l.succeeded_traces)} / ${count(l.traces)}`,
          },
          { label: 'Per successful outcome', num: true, value: (l) => usdFine(l.cost_per_success_nanos) },
          {
            label: 'Tokens per call',
            num: true,
            value: (l) => (l.tokens_per_request === null ? '–' : count(l.tokens_per_request)),
          },
          { label: 'Cache hits', num: true, value: (l) => pct(l.cache_hit_percent) },
          { label: 'Short calls', num: true, value: (l) => count(l.short_calls) },
        ],
        e.lines,
      ),
    ),
  ];
}
