export * from './load-config';
export * from './env-fields';
export * from './secret-fields';
export * from './service-names';
export * from './pseudonym-env';
