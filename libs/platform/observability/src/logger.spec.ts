import { createLogger } from './logger';
import { REDACTED } from './log-redaction';

function capture(level: 'debug' | 'info' = 'debug') {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createLogger(
    'svc',
    level,
    { run: 'r1' },
    {
      out: { write: (line: string) => out.push(line) },
      err: { write: (line: string) => err.push(line) },
    },
  );
  return {
    logger,
    out,
    err,
    lines: () => [...out, ...err].map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const SECRETS = [
  'Bearer it-ingest-token-0123456789abcdef',
  'hunter2-secret',
  'sk-live-abcdefghijklmnop1234',
  'ghp_abcdefghijklmnopqrstuvwxyz012345',
  's3cr3t-db-password',
  'tok-0123456789abcdefghij',
];

describe('logger (pino)', () => {
  it('writes one JSON line per call with level, time, service, message first, then the fields', () => {
    const { logger, out, err } = capture();
    logger.info('stopping', { signal: 'SIGTERM' });
    logger.error('stop failed', { error: new Error('boom') });
    logger.child({ partition: 3 }).debug('batch', { nanos: 12_345_678_901_234_567_890n });
    expect(out).toHaveLength(2);
    expect(err).toHaveLength(1);
    expect(out[0]).toMatch(
      /^\{"level":"info","t":"\d{4}-\d\d-\d\dT[^"]+Z","service":"svc","run":"r1","msg":"stopping","signal":"SIGTERM"\}\n$/,
    );
    expect(JSON.parse(err[0] ?? '{}')).toMatchObject({
      level: 'error',
      error: { name: 'Error', message: 'boom' },
    });
    expect(JSON.parse(out[1] ?? '{}')).toMatchObject({ partition: 3, nanos: '12345678901234567890' });
  });

  it('drops lines below its level', () => {
    const { logger, out } = capture('info');
    logger.debug('noise');
    logger.info('kept');
    expect(out).toHaveLength(1);
  });

  it('never writes a secret, whatever the caller passes', () => {
    const { logger, out, err } = capture();
    logger.info('request', {
      headers: { authorization: SECRETS[0], 'x-api-key': SECRETS[2], cookie: 'session=abc' },
      config: {
        PSEUDONYM_SECRET: SECRETS[1],
        INGEST_TOKENS: [SECRETS[5]],
      },
      database: `postgres://u:${SECRETS[4]}@db/x`,
      nested: { deeper: { password: SECRETS[4], client_secret: SECRETS[1], token: SECRETS[5] } },
      note: `retrying with token=${SECRETS[5]} and ${SECRETS[3]}`,
      input_tokens: 1200,
    });
    logger.warn(`upstream said ${SECRETS[0]} was refused`, { error: new Error(`bad key ${SECRETS[2]}`) });
    logger.child({ api_secret: SECRETS[1] }).error('x');
    const written = [...out, ...err].join('');
    for (const secret of SECRETS) expect(written).not.toContain(secret.replace(/^Bearer /, ''));
    expect(written).toContain(REDACTED);
    expect(written).toContain('"input_tokens":1200'); // counts named *_tokens are not secrets
    expect(written).toContain('postgres://u:[redacted]@db/x');
  });
});
