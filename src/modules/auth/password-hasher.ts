import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane). `Algorithm` is a const enum in
 * @node-rs/argon2, which isolatedModules cannot inline: 2 is Argon2id.
 */
export const ARGON2_PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash is not argon2id or uses weaker parameters than {@link ARGON2_PARAMS}. */
export function needsRehash(passwordHash: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
  if (!m) return true;
  const [memory, time, lanes] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return (
    memory < ARGON2_PARAMS.memoryCost || time < ARGON2_PARAMS.timeCost || lanes < ARGON2_PARAMS.parallelism
  );
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, for unknown emails (same answer, similar timing). */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('wma-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
