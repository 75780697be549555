export * from './rate-card';
export * from './price-call';
export * from './fx';
export * from './catalog';
export * from './rate-file';
export * from './rate-book';
export * from './trace-explanation';
export * from './ledger-row-pricer';
