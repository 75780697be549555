import { mergeCells, type Cells } from './call-fact';
import { decompose } from './decomposition';
import { describe } from './explanation';
import type { Direction, Finding } from './alert-lifecycle';
import type { SeasonalHistory } from './seasonal-history';
import { inSeries, type SeriesScope } from './series';
import type { TemplateMemory } from './template-memory';

export interface FindingInput {
  scope: SeriesScope;
  teamName: string;
  direction: Direction;
  start: number;
  end: number;
  /** Closed minutes of the team (cells), the window's are read. */
  byMinute: ReadonlyMap<number, Cells>;
  /** What the window is explained against, nano-USD (the seasonal baseline, or the usual cost). */
  expected: number;
  /** The week whose hour profile shapes the expected cells. */
  medianWeek: number;
  excessPerHour: number;
}

/**
 * A window that passed a test, explained: its observed cells against the median week's hour profile
 * scaled to `expected`, decomposed exactly, in words.
 */
export function explainFinding(
  input: FindingInput,
  history: SeasonalHistory,
  templates: TemplateMemory,
): Finding {
  const { scope, start, end } = input;
  const observedCells: Cells = new Map();
  for (const [m, cells] of input.byMinute)
    if (m >= start && m < end) mergeCells(observedCells, cells, 1, (c) => inSeries(scope, c));
  const profile = history.profile(scope, start, end, input.medianWeek);
  let profileTotal = 0;
  for (const c of profile.values()) profileTotal += c.cost_nanos;
  const baselineCells: Cells = new Map();
  if (profileTotal > 0) mergeCells(baselineCells, profile, input.expected / profileTotal);
  templates.fillSeeded(scope.team, baselineCells, start);
  const decomposition = decompose(observedCells, baselineCells, Math.round(input.expected));
  return {
    scope,
    direction: input.direction,
    window_start: start,
    window_end: end,
    decomposition,
    explanation: describe(scope, input.teamName, decomposition, start, end),
    excessPerHour: input.excessPerHour,
  };
}
