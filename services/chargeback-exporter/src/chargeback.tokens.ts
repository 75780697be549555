export const STATEMENT_SETTINGS = Symbol('STATEMENT_SETTINGS');

export interface StatementSettings {
  topUsers: number;
}

/** The weekly digest's sources (a DigestSources port, PostgresDigestSources in production). */
export const DIGEST_SOURCES = Symbol('DIGEST_SOURCES');
