import type { Logger } from '@tokentally/platform-observability';

export interface StartupRetryOptions {
  logger: Logger;
  /** Give up (and let the process exit for its supervisor) when the dependency is not back by then. */
  deadline: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs one start-up step until it succeeds: a service started while PostgreSQL, the registry (which
 * keeps its schemas in PostgreSQL) or the broker is still coming back waits for it with capped
 * exponential backoff instead of exiting on the first refused connection.
 */
export async function retryStartup<T>(
  step: string,
  work: () => Promise<T>,
  options: StartupRetryOptions,
): Promise<T> {
  let delay = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() + delay > options.deadline) throw error;
      options.logger.warn('start-up step failed, retrying', { step, attempt, delayMs: delay, error });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5000);
    }
  }
}
