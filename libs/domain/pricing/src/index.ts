export * from './rate-card';
export * from './price-call';
