export type ChannelName = 'email' | 'sms' | 'push';

export interface OutgoingMessage {
  /** An email address, a phone number or a device token. */
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
}

export interface Channel {
  name: ChannelName;
  /** Which provider it speaks to (the breaker and the metrics are per provider). */
  provider: string;
  /** Null when it can send; otherwise why not (no credentials): messages are recorded, never sent. */
  disabledReason: string | null;
  send(message: OutgoingMessage): Promise<{ providerMessageId: string | null }>;
  close(): Promise<void>;
}

/**
 * `unreachable`: the provider did not take the message (down, timing out, busy, 5xx): not the message's
 * fault, so it waits and tries again, and the provider's breaker counts it. `rejected`: the provider
 * answered and refused this message (bad address, unknown token): retried a few times, then dead.
 */
export class ChannelError extends Error {
  readonly kind: 'unreachable' | 'rejected';
  constructor(kind: 'unreachable' | 'rejected', message: string) {
    super(message);
    this.name = 'ChannelError';
    this.kind = kind;
  }
}

/** HTTP providers (Twilio, FCM): 5xx and 429 are theirs, other 4xx answers are about this message. */
export const kindOfHttpStatus = (status: number | undefined): 'unreachable' | 'rejected' =>
  status === undefined || status >= 500 || status === 429 || status === 408 ? 'unreachable' : 'rejected';
