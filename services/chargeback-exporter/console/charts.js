// Charts as inline SVG built with DOM calls (no chart library is installed; see the README).
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

/** Vertical columns per day: [{ label (YYYY-MM-DD), value, text }]. */
export function columns(items, { width = 760, height = 160 } = {}) {
  const max = Math.max(1, ...items.map((i) => magnitude(i.value)));
  const bottom = height - 18;
  const step = width / Math.max(1, items.length);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
  items.forEach((item, n) => {
    const h = Math.round((magnitude(item.value) / max) * (bottom - 4));
    svg.append(
      s(
        'rect',
        {
          x: n * step + 1,
          y: bottom - h,
          width: Math.max(1, step - 2),
          height: Math.max(0, h),
          class: 'bar',
        },
        s('title', {}, `${item.label}: ${item.text}`),
      ),
    );
    if (n % Math.ceil(items.length / 8) === 0)
      svg.append(s('text', { x: n * step + 1, y: height - 4, class: 'axis' }, item.label.slice(5)));
  });
  return svg;
}
