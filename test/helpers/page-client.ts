import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { load } from 'cheerio';

export interface PageResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  location?: string;
  $: ReturnType<typeof load>;
}

/**
 * A browser stand-in over Fastify's inject: keeps cookies, reads the CSRF token from the last
 * page it loaded, posts URL-encoded forms. Follows nothing by itself, so tests see redirects.
 */
export class PageClient {
  readonly cookies = new Map<string, string>();
  private lastCsrf?: string;

  constructor(
    private readonly app: NestFastifyApplication,
    private readonly ip = '127.0.0.1',
  ) {}

  get sessionId(): string | undefined {
    return this.cookies.get('wma_sid');
  }

  get csrf(): string | undefined {
    return this.lastCsrf;
  }

  async get(url: string): Promise<PageResponse> {
    return this.request('GET', url);
  }

  /** Posts a form; `_csrf` defaults to the token of the last page loaded (pass null to omit it). */
  async post(
    url: string,
    form: Record<string, string> = {},
    csrf: string | null | undefined = undefined,
  ): Promise<PageResponse> {
    const token = csrf === undefined ? this.lastCsrf : csrf;
    const fields = token === null || token === undefined ? form : { _csrf: token, ...form };
    return this.request('POST', url, new URLSearchParams(fields).toString());
  }

  /** GET, then follow redirects (at most 5). */
  async follow(url: string): Promise<PageResponse> {
    let res = await this.get(url);
    for (let i = 0; i < 5 && res.location; i++) res = await this.get(res.location);
    return res;
  }

  private async request(method: 'GET' | 'POST', url: string, payload?: string): Promise<PageResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      method,
      url,
      payload,
      remoteAddress: this.ip,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(payload !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const $ = load(res.body);
    const csrf = $('input[name="_csrf"]').first().attr('value');
    if (csrf) this.lastCsrf = csrf;
    const location = res.headers.location;
    return { status: res.statusCode, headers: res.headers, body: res.body, location, $ };
  }
}
