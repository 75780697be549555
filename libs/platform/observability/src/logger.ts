export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * One JSON object per line on stdout (stderr for errors), so log shippers need no parsing rules.
 * Callers pass identifiers, never raw user ids or payloads: logs are an export like any other.
 */
export function createLogger(
  service: string,
  level: LogLevel = 'info',
  base: Record<string, unknown> = {},
): Logger {
  const write = (at: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (RANK[at] > RANK[level]) return;
    const line = JSON.stringify(
      { t: new Date().toISOString(), level: at, service, msg: message, ...base, ...fields },
      (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v instanceof Error ? { name: v.name, message: v.message } : v,
    );
    (at === 'error' ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    error: (m, f) => write('error', m, f),
    warn: (m, f) => write('warn', m, f),
    info: (m, f) => write('info', m, f),
    debug: (m, f) => write('debug', m, f),
    child: (fields) => createLogger(service, level, { ...base, ...fields }),
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
