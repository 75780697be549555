export * from './service-runtime';
export * from './kafka-avro.transport';
export * from './platform.module';
export * from './bootstrap';
export * from './polling-snapshot';
export * from './bearer-tokens';
export * from './direct-route';
