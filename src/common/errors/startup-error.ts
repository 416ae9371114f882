/** A dependency the app cannot start without is unreachable. main.ts prints its message as one line and exits 1. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** "host:port" of a connection URL, without credentials, for messages. */
export function describeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '(default port)'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** One line saying why a connection or call failed, whatever shape the error has. */
export function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return reasonOf(err.errors[0]);
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : undefined;
    const raw = typeof e.message === 'string' ? e.message : JSON.stringify(err);
    // Prisma wraps driver errors in a multi-line message ending in "Message: `…`".
    const inner = /Message: `([^`]+)`/.exec(raw)?.[1];
    const message =
      inner ??
      raw
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .pop() ??
      raw;
    return code && /^[A-Z]+$/.test(code) && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(err);
}
