import { EMPTY_ORG, enrichCall } from '@tokentally/domain-enrichment';
import { buildRawCallEvent } from './builders';

describe('buildRawCallEvent', () => {
  it('builds only valid calls, so suites that count outcomes can trust their "good" events', () => {
    const now = Date.now();
    for (let n = 0; n < 5000; n++) {
      const result = enrichCall(buildRawCallEvent(n, { occurred_at: now - 1000 }), {
        now,
        org: EMPTY_ORG,
        enforcement: 'soft',
        pseudonymKey: { id: 't', secret: 'builder-test-secret' },
      });
      if (!result.ok)
        throw new Error(`buildRawCallEvent(${n}) is invalid: ${JSON.stringify(result.rejection)}`);
    }
  });
});
