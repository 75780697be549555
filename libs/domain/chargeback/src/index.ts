export * from './statement';
export * from './summary';
export * from './team-scope';
export * from './csv';
export * from './statement-csv';
export * from './statement-json';
export * from './chargeback-lines';
export * from './focus-legacy';
