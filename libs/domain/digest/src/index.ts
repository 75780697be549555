export * from './iso-week';
export * from './digest-input';
export * from './actions';
export * from './digest';
export * from './digest-schema';
