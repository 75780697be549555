import type { CallFact, CellAggregate } from './call-fact';

/** The dimensions a series can be cut by below its team. */
export type SeriesDimension = 'team' | 'feature' | 'model' | 'workflow' | 'environment';

/** One tracked spend series: a team, or a team narrowed by one dimension. */
export interface SeriesScope {
  key: string;
  team: string;
  dimension: SeriesDimension;
  /** The dimension's value (the team id for a team series). */
  value: string;
}

function scope(team: string, dimension: SeriesDimension, value: string): SeriesScope {
  return {
    key: dimension === 'team' ? `team:${team}` : `${dimension}:${team}:${value}`,
    team,
    dimension,
    value,
  };
}

/**
 * Every series a call counts in: its team, team x feature, team x model, team x workflow (when it has
 * one) and team x environment outside prod (a staging load test should not hide in prod's baseline).
 */
export function seriesOf(fact: CallFact): SeriesScope[] {
  const out = [
    scope(fact.team, 'team', fact.team),
    scope(fact.team, 'feature', fact.feature),
    scope(fact.team, 'model', modelLabel(fact.provider, fact.model)),
  ];
  if (fact.workflow) out.push(scope(fact.team, 'workflow', fact.workflow));
  if (fact.environment !== 'prod') out.push(scope(fact.team, 'environment', fact.environment));
  return out;
}

export function seriesOfCell(team: string, cell: CellAggregate): SeriesScope[] {
  return seriesOf({
    team,
    feature: cell.feature,
    workflow: cell.workflow,
    provider: cell.provider,
    model: cell.model,
    environment: cell.environment,
  } as CallFact);
}

export function modelLabel(provider: string, model: string): string {
  return `${provider}/${model}`;
}

/** Whether a cell of the series' team belongs to the series. */
export function inSeries(series: SeriesScope, cell: CellAggregate): boolean {
  switch (series.dimension) {
    case 'team':
      return true;
    case 'feature':
      return cell.feature === series.value;
    case 'model':
      return modelLabel(cell.provider, cell.model) === series.value;
    case 'workflow':
      return cell.workflow === series.value;
    case 'environment':
      return cell.environment === series.value;
  }
}

export function parseSeriesKey(key: string): SeriesScope {
  const [dimension, team = '', ...rest] = key.split(':');
  if (dimension === 'team') return scope(team, 'team', team);
  return scope(team, dimension as SeriesDimension, rest.join(':'));
}
