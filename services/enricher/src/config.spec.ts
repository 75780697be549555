import { ConfigError, loadConfig, pseudonymKeyringOf } from '@tokentally/platform-config';
import { enricherEnv } from './config';

const REAL = {
  PSEUDONYM_SECRET: 'p'.repeat(40),
  QUARANTINE_SEAL_KEY: 'q'.repeat(40),
};

function messageOf(env: Record<string, string>): string {
  try {
    loadConfig('enricher', enricherEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('enricher configuration', () => {
  it('starts in prod with real secrets of its own', () => {
    const config = loadConfig('enricher', enricherEnv, { TOKENTALLY_ENV: 'prod', ...REAL });
    expect(config.PSEUDONYM_SECRET).toBe(REAL.PSEUDONYM_SECRET);
    expect(config.QUARANTINE_SEAL_KEY).toBe(REAL.QUARANTINE_SEAL_KEY);
  });

  it('refuses a production start on the public pseudonym secret or seal key', () => {
    const message = messageOf({ TOKENTALLY_ENV: 'prod' });
    expect(message).toMatch(/PSEUDONYM_SECRET: must be set to a secret of your own/);
    expect(message).toMatch(/QUARANTINE_SEAL_KEY: must be set to a secret of your own/);
    expect(message).not.toContain('tokentally-dev-only');
  });

  it('refuses one secret for both pseudonyms and the quarantine seal', () => {
    expect(
      messageOf({
        TOKENTALLY_ENV: 'prod',
        PSEUDONYM_SECRET: REAL.PSEUDONYM_SECRET,
        QUARANTINE_SEAL_KEY: REAL.PSEUDONYM_SECRET,
      }),
    ).toMatch(/QUARANTINE_SEAL_KEY: must differ from PSEUDONYM_SECRET/);
  });

  it('never prints a rejected secret (too short a pseudonym secret)', () => {
    const message = messageOf({
      TOKENTALLY_ENV: 'prod',
      PSEUDONYM_SECRET: 'hunter2-secret',
      QUARANTINE_SEAL_KEY: REAL.QUARANTINE_SEAL_KEY,
    });
    expect(message).toMatch(/PSEUDONYM_SECRET: must be at least 32 characters/);
    expect(message).not.toContain('hunter2');
  });

  it('takes a previous pseudonym key for a rotation only whole and distinct from the current one', () => {
    const prod = { TOKENTALLY_ENV: 'prod', ...REAL };
    expect(messageOf({ ...prod, PSEUDONYM_PREVIOUS_KEY_ID: 'k1' })).toMatch(/needs both/);
    expect(
      messageOf({ ...prod, PSEUDONYM_PREVIOUS_KEY_ID: 'dev', PSEUDONYM_PREVIOUS_SECRET: 'o'.repeat(40) }),
    ).toMatch(/PSEUDONYM_PREVIOUS_KEY_ID: must differ from PSEUDONYM_KEY_ID/);
    expect(
      messageOf({
        ...prod,
        PSEUDONYM_PREVIOUS_KEY_ID: 'k1',
        PSEUDONYM_PREVIOUS_SECRET: REAL.PSEUDONYM_SECRET,
      }),
    ).toMatch(/PSEUDONYM_PREVIOUS_SECRET: must differ/);
    const config = loadConfig('enricher', enricherEnv, {
      ...prod,
      PSEUDONYM_KEY_ID: 'k2',
      PSEUDONYM_PREVIOUS_KEY_ID: 'k1',
      PSEUDONYM_PREVIOUS_SECRET: 'o'.repeat(40),
    });
    expect(pseudonymKeyringOf(config)).toEqual({
      current: { id: 'k2', secret: REAL.PSEUDONYM_SECRET },
      previous: { id: 'k1', secret: 'o'.repeat(40) },
    });
  });
});
