export * from './pool';
export * from './migrator';
export * from './quarantine.repository';
export * from './org.repository';
export * from './ledger-rows';
export * from './ledger.repository';
export * from './rates.repository';
export * from './chargeback.repository';
