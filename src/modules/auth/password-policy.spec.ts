import { passwordProblem } from './password-policy';

describe(passwordProblem.name, () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('alllowercaseletters')).toBeNull();
  });

  it('counts characters, not bytes, and never truncates', () => {
    expect(passwordProblem('ééééééééééé')).toBe('Use at least 12 characters.'); // 11 characters, 22 bytes
    expect(passwordProblem('😀'.repeat(12))).toBeNull();
    expect(passwordProblem('a'.repeat(128) + 'b')).toBe('Use at most 128 characters.');
  });

  it('refuses common passwords, also padded with digits or symbols', () => {
    expect(passwordProblem('qwerty123456')).toMatch(/too common/);
    expect(passwordProblem('QWERTY123456')).toMatch(/too common/);
    expect(passwordProblem('password1234')).toMatch(/too common/);
    expect(passwordProblem('!!dragon2024!!')).toMatch(/too common/);
  });

  it('refuses the user’s own email', () => {
    expect(passwordProblem('Ada@Example.com', { email: 'ada@example.com' })).toMatch(/email/);
  });
});
