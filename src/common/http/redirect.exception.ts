/** Ends the request with a redirect (e.g. to /login); the exception filter sends it. */
export class RedirectException extends Error {
  constructor(
    readonly location: string,
    readonly status: 302 | 303 = 303,
  ) {
    super(`redirect to ${location}`);
    this.name = 'RedirectException';
  }
}
