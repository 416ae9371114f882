import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Cloudflare's documented Turnstile test secrets. */
export const TURNSTILE_SECRETS = {
  alwaysPasses: '1x0000000000000000000000000000000AA',
  alwaysFails: '2x0000000000000000000000000000000AA',
  alreadySpent: '3x0000000000000000000000000000000AA',
  /** Not Cloudflare's: the stand-in then never answers (a timeout). */
  hangs: 'standin-hangs',
  /** Not Cloudflare's: the stand-in then answers 500 with HTML. */
  breaks: 'standin-500',
} as const;

export interface TurnstileStandIn {
  url: string;
  requests: URLSearchParams[];
  close(): Promise<void>;
}

/**
 * A local siteverify that answers as Cloudflare does for its test secrets. The token the test
 * posts carries the action the widget would have reported: `dummy:<action>`.
 */
export async function startTurnstileStandIn(hostname: string): Promise<TurnstileStandIn> {
  const requests: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      requests.push(form);
      const secret = form.get('secret');
      const token = form.get('response') ?? '';
      const json = (body: object) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      switch (secret ?? '') {
        case TURNSTILE_SECRETS.alwaysPasses:
          return json({
            success: true,
            challenge_ts: new Date().toISOString(),
            hostname,
            action: token.startsWith('dummy:') ? token.slice(6) : '',
            'error-codes': [],
          });
        case TURNSTILE_SECRETS.alwaysFails:
          return json({ success: false, 'error-codes': ['invalid-input-response'] });
        case TURNSTILE_SECRETS.alreadySpent:
          return json({ success: false, 'error-codes': ['timeout-or-duplicate'] });
        case TURNSTILE_SECRETS.hangs:
          return; // never answers
        case TURNSTILE_SECRETS.breaks:
          return res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>');
        default:
          return json({ success: false, 'error-codes': ['invalid-input-secret'] });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
