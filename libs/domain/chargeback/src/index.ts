export * from './statement';
export * from './summary';
export * from './exports';
export * from './team-scope';
