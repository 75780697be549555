export * from './cost-line';
export * from './model-names';
export * from './importers/export-rows';
export * from './importers/formats';
export * from './reconciliation.types';
export * from './ledger-cells';
export * from './reconcile';
export * from './month-results';
