// Small DOM helpers: elements are built, never parsed from strings, so no data can become markup.

/** h('td', { class: 'num' }, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const NANOS_PER_CENT = 10_000_000n;

/** Exact nano-USD string -> "$1,234.56", rounded half-even to cents (as the statement's own text). */
export function usd(nanos) {
  if (nanos === null || nanos === undefined) return '–';
  const n = BigInt(nanos);
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  let cents = magnitude / NANOS_PER_CENT;
  const twice = (magnitude % NANOS_PER_CENT) * 2n;
  if (twice > NANOS_PER_CENT || (twice === NANOS_PER_CENT && cents % 2n === 1n)) cents += 1n;
  const dollars = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${dollars}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** Small amounts (cost per request) need more than cents: "$0.004210". */
export function usdFine(nanos) {
  if (nanos === null || nanos === undefined) return '–';
  const n = BigInt(nanos);
  if (n >= 100n * NANOS_PER_CENT || n <= -100n * NANOS_PER_CENT) return usd(n);
  const negative = n < 0n;
  const micros = (negative ? -n : n) / 1000n; // truncated to 6 decimals for display only
  return `${negative ? '-' : ''}$${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

export const pct = (value) => (value === null || value === undefined ? '–' : `${value}%`);
export const count = (value) =>
  BigInt(value ?? 0)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Percent with one decimal of two exact integers, for shares the API does not compute. */
export function share(part, whole) {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w === 0n) return null;
  const tenths = (p * 1000n + w / 2n) / w;
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** A table: columns [{ label, value: row => node|text, num?: true, testid?: row => id }]. */
export function table(columns, rows, { empty = 'Nothing in this period.', caption } = {}) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    {},
    caption ? h('caption', {}, caption) : null,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { class: c.num ? 'num' : null }, c.label)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map((c) =>
            h(
              'td',
              { class: c.num ? 'num' : null, 'data-testid': c.testid ? c.testid(row) : null },
              c.value(row),
            ),
          ),
        ),
      ),
    ),
  );
}

/** A headline figure. */
export const figure = (label, value, note, testid) =>
  h(
    'div',
    { class: 'figure' },
    h('div', { class: 'label' }, label),
    h('div', { class: 'value', 'data-testid': testid }, value),
    note ? h('div', { class: 'note' }, note) : null,
  );

export const section = (title, ...children) => h('section', {}, h('h2', {}, title), ...children);

export const errorBox = (error) => h('p', { class: 'error', role: 'alert' }, error.message ?? String(error));

/** A signed amount: "+$7.00", "-$1.20". */
export const signed = (nanos) => (BigInt(nanos) > 0n ? `+${usd(nanos)}` : usd(nanos));

/** Basis points (an integer, or its string) as a percent with two decimals: 3750 -> "37.50%". */
export function bp(value) {
  if (value === null || value === undefined) return '–';
  const n = BigInt(value);
  const m = n < 0n ? -n : n;
  return `${n < 0n ? '-' : ''}${m / 100n}.${(m % 100n).toString().padStart(2, '0')}%`;
}
