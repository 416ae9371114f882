import type { NestFastifyApplication } from '@nestjs/platform-fastify';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Injected = Awaited<ReturnType<NestFastifyApplication['inject']>>;

/** A JSON API call with a bearer token (over Fastify's inject). */
export function apiRequest(
  app: NestFastifyApplication,
  token: string,
  method: Method,
  url: string,
  payload?: object,
): Promise<Injected> {
  return app.inject({
    method,
    url,
    payload,
    headers: { authorization: `Bearer ${token}` },
  });
}

/** The sorted field names of a problem+json answer's `errors`. */
export function problemFields(res: { json: <T>() => T }): string[] {
  return (
    res
      .json<{ errors?: { field: string }[] }>()
      .errors?.map((e) => e.field)
      .sort() ?? []
  );
}
