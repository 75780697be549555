export * from './reconciliation.repository';
export * from './reconciliation-results.repository';
export * from './coverage.repository';
export * from './period-status.reader';
