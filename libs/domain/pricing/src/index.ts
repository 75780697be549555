export * from './rate-card';
export * from './price-call';
export * from './fx';
export * from './catalog';
export * from './rate-file';
export * from './resolution';
export * from './rate-book';
export * from './trace-explanation';
