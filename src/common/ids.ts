/** Ids are UUIDs; anything else cannot name a row (answer 404 without asking the database). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f-]{36}$/i.test(value);
}
