export * from './alerts.repository';
export * from './alert-store';
