export * from './budget-store';
