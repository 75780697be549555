export * from './alerts.repository';
export * from './alert-store';
export * from './digest.sources';
export * from './webhook-outbox.repository';
