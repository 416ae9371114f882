import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

let common: Set<string> | undefined;

/** The shipped list of the 10,000 most common passwords (lower-cased). */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(__dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.trim().toLowerCase()),
  );
  return common;
}

/**
 * NIST-style rules: 12–128 characters (counted as Unicode code points, never truncated), no
 * composition rules, not one of the 10,000 most common passwords (nor one of them padded with
 * digits or symbols), not the user's own email.
 * Returns the message to show, or null when the password is acceptable.
 */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  // A common password padded with digits or symbols ("password1234", "!!dragon2024") is as weak.
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  if (commonPasswords().has(lower) || (core.length >= 4 && commonPasswords().has(core))) {
    return 'This password is too common. Choose one that is harder to guess.';
  }
  if (context.email && lower === context.email.toLowerCase())
    return 'Do not use your email address as your password.';
  return null;
}
