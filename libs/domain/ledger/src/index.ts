export * from './billing-period';
export * from './call-identity';
export * from './cost-vector';
export * from './ledger-row';
export * from './ports';
export * from './reprice';
export * from './cost-breakdown';
export * from './completeness';
