import type { RawCallEvent } from '@tokentally/contracts';
import { enrichCall } from './enrich';
import { EMPTY_ORG } from './owner-resolution';
import { rawEvent } from './spec-builders';
import { isPseudonymRef, pseudonymRef, pseudonymise, pseudonymiseRawIds } from './pseudonymise';

const key = { id: 'k1', secret: 'a-test-secret-of-some-length' };

const buildRawCallEvent = (_n: number, overrides: Partial<RawCallEvent>): RawCallEvent =>
  rawEvent(overrides, { input_tokens: 10 });

describe('pseudonymisation before the raw topic', () => {
  it('replaces user and tenant ids by refs, and a ref is never hashed twice', () => {
    const raw = buildRawCallEvent(2, { user_id: 'alice@example.com', tenant_id: 'acme' });
    const written = pseudonymiseRawIds(raw, key);
    expect(written.user_id).toBe(pseudonymise('alice@example.com', key));
    expect(written.tenant_id).toBe(pseudonymise('acme', key));
    expect(JSON.stringify(written)).not.toMatch(/alice|acme/);
    expect(pseudonymiseRawIds(written, key)).toEqual(written);
    expect(pseudonymRef(written.user_id, key)).toBe(written.user_id);
  });

  it('the enricher gives the same ref whether ingest pseudonymised first or not', () => {
    const raw = buildRawCallEvent(3, { user_id: 'bob', tenant_id: null, occurred_at: 1_790_000_000_000 });
    const context = {
      now: 1_790_000_100_000,
      org: EMPTY_ORG,
      enforcement: 'soft' as const,
      pseudonymKey: key,
    };
    const direct = enrichCall(raw, context);
    const viaIngest = enrichCall(pseudonymiseRawIds(raw, key), context);
    expect(direct.ok && viaIngest.ok).toBe(true);
    if (direct.ok && viaIngest.ok) {
      expect(viaIngest.value.event.user_ref).toBe(direct.value.event.user_ref);
      expect(viaIngest.value.event.pseudonym_key_id).toBe('k1');
    }
  });

  it('recognises only refs of its own key', () => {
    const ref = pseudonymise('carol', key) ?? '';
    expect(isPseudonymRef(ref, key)).toBe(true);
    expect(isPseudonymRef(ref, { ...key, id: 'k2' })).toBe(false);
    expect(isPseudonymRef('k1:not-hex', key)).toBe(false);
    expect(isPseudonymRef('carol', key)).toBe(false);
  });
});
