// ISO 8601 weeks (Monday to Sunday, UTC): the digest and the coverage report are weekly.
import { h } from './dom.js';

const DAY_MS = 86_400_000;

/** The ISO week an instant falls in, e.g. "2026-W47" (its year is the year of its Thursday). */
export function isoWeekOf(ms) {
  const midnight = Math.floor(ms / DAY_MS) * DAY_MS;
  const thursday = midnight + (3 - ((new Date(midnight).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday and Sunday (YYYY-MM-DD) of an ISO week. */
export function weekDays(label) {
  const [year, week] = label.split('-W').map(Number);
  const jan4 = Date.UTC(year, 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (week - 1) * 7 * DAY_MS;
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(monday), to: day(monday + 6 * DAY_MS) };
}

/** The ISO weeks that have a day in the billing period (YYYY-MM), up to the current week. */
export function weeksOf(period, now = Date.now()) {
  const [year, month] = period.split('-').map(Number);
  const start = Date.UTC(year, month - 1, 1);
  const end = Math.min(Date.UTC(year, month, 1), now + DAY_MS);
  const weeks = [];
  for (let ms = start; ms < end; ms += DAY_MS) {
    const week = isoWeekOf(ms);
    if (!weeks.includes(week)) weeks.push(week);
  }
  return weeks.length ? weeks : [isoWeekOf(start)];
}

/** The week asked for in the page's `week` parameter if it is one of the period's, else the period's last. */
export function chosenWeek(ctx) {
  const weeks = weeksOf(ctx.period);
  const asked = ctx.params.get('week');
  return { weeks, week: weeks.includes(asked) ? asked : weeks[weeks.length - 1] };
}

/** A picker of the period's weeks; choosing one sets the page's `week` parameter. */
export function weekPicker(ctx, weeks, week) {
  return h(
    'label',
    { class: 'week-picker' },
    'Week ',
    h(
      'select',
      {
        id: 'week',
        'aria-label': 'ISO week',
        onchange: (e) => {
          const params = new URLSearchParams(ctx.params);
          params.set('week', e.target.value);
          location.hash = `#/${location.hash.replace(/^#\/?/, '').split('?')[0]}?${params}`;
        },
      },
      weeks.map((w) => {
        const { from, to } = weekDays(w);
        return h('option', { value: w, selected: w === week }, `${w} (${from} to ${to})`);
      }),
    ),
  );
}
