import { PayloadSeal } from './payload-seal';

describe('PayloadSeal', () => {
  it('round-trips and hides the plaintext', () => {
    const seal = new PayloadSeal('a-long-enough-secret');
    const plain = Buffer.from('{"user_id":"alice@example.com"}');
    const sealed = seal.seal(plain);
    expect(sealed.includes(Buffer.from('alice'))).toBe(false);
    expect(seal.unseal(sealed)).toEqual(plain);
  });

  it('refuses the wrong secret and tampered bytes', () => {
    const sealed = new PayloadSeal('secret-one-secret-one').seal(Buffer.from('x'));
    expect(() => new PayloadSeal('secret-two-secret-two').unseal(sealed)).toThrow(/QUARANTINE_SEAL_KEY/);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => new PayloadSeal('secret-one-secret-one').unseal(tampered)).toThrow();
  });
});
