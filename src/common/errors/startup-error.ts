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

export function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return reasonOf(err.errors[0]);
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : undefined;
    const message = typeof e.message === 'string' ? e.message : String(err);
    return code && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(err);
}
