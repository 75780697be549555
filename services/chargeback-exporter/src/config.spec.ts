import { ConfigError, loadConfig } from '@tokentally/platform-config';
import { chargebackExporterEnv } from './config';

describe('chargeback exporter configuration', () => {
  it('names a malformed token entry by position, never by any part of a token', () => {
    let message = '';
    try {
      loadConfig('chargeback-exporter', chargebackExporterEnv, {
        TOKENTALLY_ENV: 'test',
        CHARGEBACK_API_TOKENS: 'finance-token-0123456789:finance,hunter2:team:search',
      });
    } catch (error) {
      if (error instanceof ConfigError) message = error.message;
    }
    expect(message).toMatch(/CHARGEBACK_API_TOKENS: entry 2: expected <token of 16\+ chars>/);
    expect(message).not.toMatch(/hunter|finance-token|012345/);
  });
});
