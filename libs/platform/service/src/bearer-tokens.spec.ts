import { BearerTokens, FailedAttemptThrottle } from './bearer-tokens';

describe('BearerTokens', () => {
  const tokens = new BearerTokens([
    { token: 'finance-token-aaaaaaaaaaaaaaaa', scope: 'finance' },
    { token: 'search-token-bbbbbbbbbbbbbbbbb', scope: 'search' },
  ]);

  it.each([
    ['Bearer finance-token-aaaaaaaaaaaaaaaa', 'finance'],
    ['bearer   search-token-bbbbbbbbbbbbbbbbb ', 'search'],
    ['Bearer finance-token-aaaaaaaaaaaaaaa', undefined],
    ['Bearer finance-token-aaaaaaaaaaaaaaaaX', undefined],
    ['finance-token-aaaaaaaaaaaaaaaa', undefined],
    ['Basic finance-token-aaaaaaaaaaaaaaaa', undefined],
    ['Bearer ', undefined],
    [undefined, undefined],
  ])('%s -> %s', (header, scope) => {
    expect(tokens.match(header)).toBe(scope);
  });

  it('matches nothing when no token is configured', () => {
    expect(new BearerTokens([]).match('Bearer anything-at-all-here-000000')).toBeUndefined();
  });
});

describe('FailedAttemptThrottle', () => {
  it('refuses an address after its failures within the window, until the window ends', () => {
    let now = 0;
    const throttle = new FailedAttemptThrottle(3, 60_000, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
      throttle.recordFailure('10.0.0.1');
    }
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(60);
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBe(0);
    now = 59_500;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(1);
    now = 60_000;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
  });
});
