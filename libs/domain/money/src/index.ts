export * from './nanos';
export * from './allocation';
export * from './decimal';
