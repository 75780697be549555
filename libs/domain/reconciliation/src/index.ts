export * from './cost-line';
export * from './model-names';
export * from './importers/export-rows';
export * from './importers/formats';
