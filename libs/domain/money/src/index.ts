export * from './nanos';
export * from './allocation';
