import { ConfigError, isSecretField, loadConfig } from '@tokentally/platform-config';
import { adminApiOf, providerFetchEnv, reconcilerEnv } from './config';

describe('reconciler admin API configuration', () => {
  const env = { TOKENTALLY_ENV: 'prod', DATABASE_URL: 'postgres://u:p@db:5432/t' };

  it('marks the admin keys secret and defaults the providers base URLs', () => {
    expect(isSecretField(providerFetchEnv.OPENAI_ADMIN_KEY)).toBe(true);
    expect(isSecretField(providerFetchEnv.ANTHROPIC_ADMIN_KEY)).toBe(true);
    const config = loadConfig('reconciler', reconcilerEnv, env);
    expect([config.OPENAI_ADMIN_BASE_URL, config.ANTHROPIC_ADMIN_BASE_URL]).toEqual([
      'https://api.openai.com',
      'https://api.anthropic.com',
    ]);
    expect(() => adminApiOf(config, 'openai')).toThrow(/^OPENAI_ADMIN_KEY is not set$/);
  });

  it('hands a configured key and base URL to the fetcher, and never echoes a bad base URL with the key', () => {
    const config = loadConfig('reconciler', reconcilerEnv, {
      ...env,
      ANTHROPIC_ADMIN_KEY: 'sk-ant-admin-0123456789',
      ANTHROPIC_ADMIN_BASE_URL: 'http://127.0.0.1:9999/mock',
    });
    expect(adminApiOf(config, 'anthropic')).toEqual({
      baseUrl: 'http://127.0.0.1:9999/mock',
      adminKey: 'sk-ant-admin-0123456789',
    });
    let message = '';
    try {
      loadConfig('reconciler', reconcilerEnv, {
        ...env,
        OPENAI_ADMIN_KEY: 'sk-admin-secret',
        OPENAI_ADMIN_BASE_URL: 'not a url',
      });
    } catch (error) {
      if (error instanceof ConfigError) message = error.message;
    }
    expect(message).toMatch(/OPENAI_ADMIN_BASE_URL/);
    expect(message).not.toMatch(/sk-admin-secret/);
  });
});
