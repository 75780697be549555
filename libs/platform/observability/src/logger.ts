import pino from 'pino';
import { redactFields, redactText } from './log-redaction';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Well-known header and config paths, censored by pino itself; redactFields covers any depth. */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.cookie',
  'headers["x-api-key"]',
  'config.*',
];

/**
 * pino: one JSON object per line, `{"level","t","service","msg",...fields}`, on stdout (stderr for
 * errors), written synchronously so that a line logged just before process.exit is not lost.
 * Callers pass identifiers, never raw user ids or payloads; secrets are censored whatever is passed.
 */
export function createLogger(
  service: string,
  level: LogLevel = 'info',
  base: Record<string, unknown> = {},
  streams: { out: pino.DestinationStream; err: pino.DestinationStream } = {
    out: pino.destination({ fd: 1, sync: true }),
    err: pino.destination({ fd: 2, sync: true }),
  },
): Logger {
  const root = pino(
    {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: () => `,"t":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redactFields(fields) as Record<string, unknown>,
      },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    pino.multistream(
      [
        { level: 'debug', stream: streams.out },
        { level: 'error', stream: streams.err },
      ],
      { dedupe: true },
    ),
  );
  return Object.keys(base).length > 0 ? wrap(root).child(base) : wrap(root);
}

function wrap(logger: pino.Logger): Logger {
  // The message goes first in the object so lines read `"msg":"stopping","signal":"SIGTERM"`.
  const at =
    (method: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void =>
      logger[method]({ msg: redactText(message), ...fields });
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    // pino's bindings formatter does not see a child's bindings: scrub them here.
    child: (fields) => wrap(logger.child(redactFields(fields) as Record<string, unknown>)),
  };
}

/** For libraries used from tests and CLIs where output would be noise. */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};
