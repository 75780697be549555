export * from './generated/schemas';
export * from './topics';
export * from './org-declaration';
export * from './rollup';
export * from './attribution';
export * from './focus-usage';
