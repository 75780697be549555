export * from './budget-rule';
export * from './budget-override';
export * from './budget-decision';
export * from './worst-case-estimate';
export * from './request-cap';
export * from './budget-declaration';
