import type { ReceivedMail } from '../setup/smtp-receiver';

function inboxUrl(): string {
  const url = process.env.TEST_INBOX_URL;
  if (!url) throw new Error('TEST_INBOX_URL is not set: run the tests through jest (global setup)');
  return url;
}

/** Every message the run's SMTP receiver has accepted. */
export async function readInbox(): Promise<ReceivedMail[]> {
  const res = await fetch(`${inboxUrl()}/messages`);
  return (await res.json()) as ReceivedMail[];
}

/** Polls the SMTP receiver until a message matches, or fails after `timeoutMs`. */
export async function waitForMail(
  match: (m: ReceivedMail) => boolean,
  timeoutMs = 10_000,
): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = (await readInbox()).find(match);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no matching mail arrived within ${timeoutMs} ms`);
}
