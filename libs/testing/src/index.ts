export * from './stack-env';
export * from './topics';
export * from './builders';
export * from './kafka-harness';
export * from './fakes/consumed-records';
export * from './fakes/in-memory-ledger.fake';
export * from './fakes/in-memory-seen-events.fake';
export * from './fakes/recording-producer.fake';
