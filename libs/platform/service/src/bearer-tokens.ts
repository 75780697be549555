import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The one bearer-token check of every HTTP API (ingest, finance): `Authorization: Bearer <token>` ->
 * the scope the token was configured with. Tokens are compared as SHA-256 digests, so every
 * comparison has the same length (no length leak), and against every candidate without stopping at
 * the first match, so the time taken says nothing about which token, or which prefix, was close.
 */
export class BearerTokens<Scope> {
  private readonly candidates: { digest: Buffer; scope: Scope }[];

  constructor(tokens: readonly { token: string; scope: Scope }[]) {
    this.candidates = tokens.map(({ token, scope }) => ({ digest: digest(token), scope }));
  }

  get size(): number {
    return this.candidates.length;
  }

  /** The scope of the presented token, or undefined for a missing, malformed or unknown one. */
  match(authorization: string | undefined): Scope | undefined {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    const given = digest(token);
    let found: Scope | undefined;
    for (const candidate of this.candidates)
      if (timingSafeEqual(candidate.digest, given) && found === undefined) found = candidate.scope;
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Failed-attempt throttling per client address: after `maxFailures` wrong or missing tokens within
 * `windowMs`, the address is refused (429 with Retry-After) until its window ends, valid token or
 * not, so guessing costs a window per few attempts. In memory, per process: with N replicas an
 * address gets N times the attempts, still far from a guessable rate against 24+ char tokens.
 */
export class FailedAttemptThrottle {
  private readonly windows = new Map<string, { failures: number; endsAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the address must wait, or 0 when it may try. */
  retryAfterSeconds(address: string): number {
    const window = this.windows.get(address);
    const now = this.now();
    if (!window || window.endsAt <= now || window.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
  }

  recordFailure(address: string): void {
    const now = this.now();
    const window = this.windows.get(address);
    if (window && window.endsAt > now) window.failures += 1;
    else this.windows.set(address, { failures: 1, endsAt: now + this.windowMs });
    if (this.windows.size > 10_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) if (window.endsAt <= now) this.windows.delete(address);
  }
}
