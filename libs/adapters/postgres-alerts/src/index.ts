export * from './alerts.repository';
export * from './webhook-outbox.repository';
