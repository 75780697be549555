export * from './reconciliation.repository';
export * from './reconciliation-results.repository';
