export * from './stack-env';
export * from './topics';
export * from './builders';
export * from './kafka-harness';
