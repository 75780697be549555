export const STATEMENT_SETTINGS = Symbol('STATEMENT_SETTINGS');

export interface StatementSettings {
  topUsers: number;
}
