export * from './budget.repository';
