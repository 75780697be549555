// Charts: uPlot (npm uplot 1.6.32, served by the exporter as /console/uPlot.iife.min.js) for time
// series, small inline SVG bars for rankings. Charts only draw: every exact figure is in a table beside them.
const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// Bar lengths only: exact amounts are in the tables beside every chart.
const magnitude = (v) => Math.max(0, Number(BigInt(v)));

/** Horizontal bars: [{ label, value (nanos string), text }]. */
export function hbars(items, { width = 560, row = 22 } = {}) {
  const max = Math.max(1, ...items.map((i) => magnitude(i.value)));
  const labelWidth = 230;
  const textWidth = 110;
  const barSpace = width - labelWidth - textWidth;
  const svg = s('svg', { viewBox: `0 0 ${width} ${items.length * row + 4}`, class: 'chart', role: 'img' });
  items.forEach((item, n) => {
    const y = n * row + 2;
    const length = Math.round((magnitude(item.value) / max) * barSpace);
    svg.append(
      s(
        'text',
        { x: labelWidth - 6, y: y + row * 0.65, 'text-anchor': 'end', class: 'axis' },
        item.label.length > 34 ? `${item.label.slice(0, 33)}…` : item.label,
      ),
      s(
        'rect',
        {
          x: labelWidth,
          y: y + 3,
          width: Math.max(1, length),
          height: row - 6,
          class: item.warn ? 'bar warn' : 'bar',
        },
        s('title', {}, `${item.label}: ${item.text}`),
      ),
      s('text', { x: labelWidth + length + 6, y: y + row * 0.65, class: 'axis' }, item.text),
    );
  });
  return svg;
}

/** Nanos as float dollars, for drawing only (tables and figures use the exact formatting in dom.js). */
export const dollars = (nanos) =>
  nanos === null || nanos === undefined ? null : Number(BigInt(nanos)) / 1e9;
const seconds = (iso) => Date.parse(iso) / 1000;
const dayLabel = (ts) => new Date(ts * 1000).toISOString().slice(5, 10);
const hourLabel = (ts) => `${new Date(ts * 1000).toISOString().slice(11, 13)}h`;
const money = (v) => (v === null || v === undefined ? '–' : `$${v.toFixed(2)}`);
const COLORS = { bar: '#2f6fb3', line: '#1b4f72', forecast: '#a05a00', budget: '#b03030', warn: '#b03030' };

function plot(caption, options, data) {
  const box = document.createElement('figure');
  box.className = 'uplot-chart';
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', caption);
  const title = document.createElement('figcaption');
  title.textContent = caption;
  box.append(title);
  // the chart library: a missing script is an error in the console, never a silent empty chart
  new window.uPlot({ width: 900, height: 240, ...options }, data, box);
  return box;
}

/** Ticks on whole days or hours: every nth of the x values, so labels never fall between two bars. */
const every = (x) => () => x.filter((_, i) => i % Math.max(1, Math.ceil(x.length / 10)) === 0);
const NO_POINTS = { show: false };
const bars = () => window.uPlot.paths.bars({ size: [0.7, 60] });

/**
 * The month's burn: direct cost per day (bars), month to date (line), the forecast at the rate so far
 * (a straight line from the period start to the forecast at month end) and the budget.
 * burn: the GET /v1/burn/{period} body.
 */
export function burnChart(burn) {
  const [year, month] = burn.period.split('-').map(Number);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const x = Array.from({ length: days + 1 }, (_, d) => Date.UTC(year, month - 1, 1 + d) / 1000);
  const byDay = new Map(burn.days.map((d) => [d.day, d.nanos]));
  const daily = x.map((ts) => dollars(byDay.get(new Date(ts * 1000).toISOString().slice(0, 10)) ?? null));
  let sum = 0n;
  const cumulative = x.map((ts) => {
    const day = new Date(ts * 1000).toISOString().slice(0, 10);
    if (!byDay.has(day)) return null;
    sum += BigInt(byDay.get(day));
    return Number(sum) / 1e9;
  });
  const forecast = x.map((_, i) => (i === 0 ? 0 : i === days ? dollars(burn.forecast_nanos) : null));
  const budget = x.map(() => dollars(burn.budget_nanos));
  const series = [
    {},
    {
      label: 'Cost per day',
      scale: 'day',
      fill: COLORS.bar,
      stroke: COLORS.bar,
      paths: bars(),
      points: NO_POINTS,
      value: (u, v) => money(v),
    },
    {
      label: 'Month to date',
      scale: 'total',
      stroke: COLORS.line,
      width: 2,
      points: NO_POINTS,
      value: (u, v) => money(v),
    },
    {
      label: 'Forecast (rate so far)',
      scale: 'total',
      stroke: COLORS.forecast,
      dash: [6, 4],
      spanGaps: true,
      points: NO_POINTS,
      value: (u, v) => money(v),
    },
  ];
  const data = [x, daily, cumulative, forecast];
  if (burn.budget_nanos !== null) {
    series.push({
      label: 'Budget',
      scale: 'total',
      stroke: COLORS.budget,
      width: 2,
      points: NO_POINTS,
      value: (u, v) => money(v),
    });
    data.push(budget);
  }
  return plot(
    `Cost per day and month to date, ${burn.period} (UTC)`,
    {
      scales: {
        x: { time: false },
        day: { range: (u, min, max) => [0, Math.max(max, 0.01) * 1.1] },
        total: { range: (u, min, max) => [0, Math.max(max, 0.01) * 1.1] },
      },
      axes: [
        { splits: every(x), values: (u, ticks) => ticks.map(dayLabel) },
        { scale: 'day', label: 'per day ($)', size: 70, values: (u, t) => t.map((v) => `$${v}`) },
        {
          scale: 'total',
          side: 1,
          label: 'month to date ($)',
          grid: { show: false },
          values: (u, t) => t.map((v) => `$${v}`),
        },
      ],
      series,
    },
    data,
  );
}

/** Calls, retries and quarantined events per hour of event time. hours: GET /v1/ops/summary `hours`. */
export function throughputChart(hours) {
  // every hour from the first to the last, hours without calls as 0
  const byHour = new Map(hours.map((r) => [seconds(r.hour), r]));
  const x = [];
  for (let ts = seconds(hours[0].hour); ts <= seconds(hours[hours.length - 1].hour); ts += 3600) x.push(ts);
  const n = (key) => x.map((ts) => Number(byHour.get(ts)?.[key] ?? 0));
  return plot(
    'Calls per hour (UTC, event time)',
    {
      scales: { x: { time: false } },
      axes: [{ splits: every(x), values: (u, ticks) => ticks.map(hourLabel) }, { label: 'calls' }],
      series: [
        {},
        { label: 'Calls', fill: COLORS.bar, stroke: COLORS.bar, paths: bars(), points: NO_POINTS },
        { label: 'Retries', stroke: COLORS.forecast, width: 2, points: NO_POINTS },
        { label: 'Quarantined', stroke: COLORS.warn, width: 2, points: NO_POINTS },
      ],
    },
    [x, n('calls'), n('retries'), n('quarantined')],
  );
}
