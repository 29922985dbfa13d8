import { setTimeout as sleep } from 'node:timers/promises';

export interface Mail {
  ID: string;
  MessageID: string;
  Subject: string;
  To: Array<{ Address: string }>;
  Text: string;
  HTML: string;
}

/** Mailpit's HTTP API: what a person sees in the inbox, read the way a test can. */
export function mailbox(api: string) {
  async function search(to: string): Promise<Array<{ ID: string; Subject: string }>> {
    const res = await fetch(`${api}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}&limit=1000`);
    if (!res.ok) throw new Error(`Mailpit search answered ${res.status}`);
    return ((await res.json()) as { messages: Array<{ ID: string; Subject: string }> }).messages;
  }
  async function open(id: string): Promise<Mail> {
    const res = await fetch(`${api}/api/v1/message/${id}`);
    if (!res.ok) throw new Error(`Mailpit message answered ${res.status}`);
    return (await res.json()) as Mail;
  }
  return {
    search,
    open,
    /** Waits until `to` has at least `count` mails whose subject matches, then returns them (opened). */
    async waitFor(to: string, subject: RegExp, count = 1, timeoutMs = 30_000): Promise<Mail[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await search(to)).filter((m) => subject.test(m.Subject));
        if (found.length >= count) return Promise.all(found.map((m) => open(m.ID)));
        if (Date.now() > deadline) {
          throw new Error(
            `${count} mail(s) to ${to} matching ${subject} not there after ${timeoutMs} ms (found ${found.length})`,
          );
        }
        await sleep(100);
      }
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
