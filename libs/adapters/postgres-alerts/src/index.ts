export * from './alerts.repository';
