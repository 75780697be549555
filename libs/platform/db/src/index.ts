export * from './pool';
export * from './migrator';
export * from './copy-rows';
export * from './quarantine.repository';
