import type { Cells } from './call-fact';

/** Template versions a team's workflows and features stop being told about after this many. */
const MAX_PER_CARRIER = 16;

/**
 * When each prompt template version was first seen per team x workflow and team x feature (event
 * time). A baseline seeded from rollups has no template versions, so nothing could be called new in
 * it; with this memory a version first seen at or after a window's start is new there ("since template
 * v7"), one seen before is not.
 */
export class TemplateMemory {
  readonly firstSeen = new Map<string, Map<string, number>>();

  private static key(team: string, dimension: 'workflow' | 'feature', value: string): string {
    return `${team}|${dimension}|${value}`;
  }

  /** The templates of a closed minute's cells. */
  note(team: string, minute: number, cells: Cells): void {
    for (const cell of cells.values())
      for (const template of cell.templates)
        for (const [dimension, value] of [
          ['workflow', cell.workflow],
          ['feature', cell.feature],
        ] as const) {
          if (!value) continue;
          const key = TemplateMemory.key(team, dimension, value);
          let seen = this.firstSeen.get(key);
          if (!seen) this.firstSeen.set(key, (seen = new Map<string, number>()));
          const at = seen.get(template);
          if (at === undefined && seen.size >= MAX_PER_CARRIER) continue;
          if (at === undefined || minute < at) seen.set(template, minute);
        }
  }

  /**
   * Baseline cells that carry no template version (seeded from rollups) get those their workflow and
   * feature used before `before`, so only a version first seen in the window reads as new.
   */
  fillSeeded(team: string, baseline: Cells, before: number): void {
    for (const cell of baseline.values()) {
      if (cell.templates.length > 0) continue;
      for (const [dimension, value] of [
        ['workflow', cell.workflow],
        ['feature', cell.feature],
      ] as const)
        for (const [template, at] of this.firstSeen.get(TemplateMemory.key(team, dimension, value)) ?? [])
          if (at < before && !cell.templates.includes(template)) cell.templates.push(template);
    }
  }

  entries(): [string, [string, number][]][] {
    return [...this.firstSeen].map(([key, seen]) => [key, [...seen]]);
  }

  restore(entries: Iterable<[string, [string, number][]]>): void {
    for (const [key, seen] of entries) this.firstSeen.set(key, new Map(seen));
  }
}
