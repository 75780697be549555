export * from './statement';
export * from './summary';
export * from './exports';
