export * from './iso-week';
export * from './digest.ports';
export * from './actions';
export * from './digest';
export * from './digest-schema';
