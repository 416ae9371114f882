import { hashPassword, needsRehash, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('hashes with argon2id at m=19 MiB, t=2, p=1 and verifies', async () => {
    const hash = await hashPassword('a long enough password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'a long enough password')).toBe(true);
    expect(await verifyPassword(hash, 'a long enough passworD')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('asks for a rehash when the stored parameters are weaker or not argon2id', () => {
    expect(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    expect(needsRehash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });

  it('treats a malformed hash as a failed check, not an error', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
  });
});
