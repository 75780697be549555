import { isRefOf, pseudonymise, refsOf, type PseudonymKeyring } from './pseudonymise';

const OLD = { id: 'k2026a', secret: 'old-secret-old-secret-old-secret-0' };
const NEW = { id: 'k2026b', secret: 'new-secret-new-secret-new-secret-1' };
const rotating: PseudonymKeyring = { current: NEW, previous: OLD };

describe('pseudonym keys during a rotation', () => {
  it('makes refs with the key id in front, never the raw id', () => {
    const ref = pseudonymise('alice@example.com', NEW);
    expect(ref).toMatch(/^k2026b:[0-9a-f]{32}$/);
    expect(ref).not.toContain('alice');
    expect(pseudonymise('', NEW)).toBeNull();
    expect(pseudonymise(null, NEW)).toBeNull();
  });

  it('lists the refs of an id under the current key first, then the previous one', () => {
    expect(refsOf('alice', rotating)).toEqual([pseudonymise('alice', NEW), pseudonymise('alice', OLD)]);
    expect(refsOf('alice', { current: NEW })).toEqual([pseudonymise('alice', NEW)]);
  });

  it.each([
    ['a ref of the current key', pseudonymise('alice', NEW), 'alice', true],
    ['a ref of the previous key', pseudonymise('alice', OLD), 'alice', true],
    ["another id's ref", pseudonymise('bob', OLD), 'alice', false],
    [
      'a ref of a retired key',
      pseudonymise('alice', { id: 'k2025', secret: 'x'.repeat(32) }),
      'alice',
      false,
    ],
    [
      'a key id with the other key digest',
      `k2026b:${pseudonymise('alice', OLD)?.split(':')[1]}`,
      'alice',
      false,
    ],
  ])('matches %s: %s', (_case, ref, id, expected) => {
    expect(isRefOf(ref as string, id, rotating)).toBe(expected);
  });
});
