/** Midnight UTC of a `YYYY-MM-DD` day. */
export function utcDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** The last millisecond of a `YYYY-MM-DD` day, UTC (an inclusive upper bound). */
export function utcDayEnd(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}

/** `YYYY-MM-DD` of a date, UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM UTC`, as pages show times. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
