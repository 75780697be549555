export * from './ledger-columns';
export * from './ledger-reader';
export * from './ledger.repository';
export * from './rates.repository';
export * from './org.repository';
export * from './chargeback.repository';
export * from './breakdown.repository';
export * from './insights.repository';
