export * from './iso-week';
export * from './digest.ports';
export * from './actions';
export * from './top-changes';
export * from './digest';
export * from './digest-schema';
