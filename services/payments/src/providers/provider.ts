/** What a payment provider (Stripe, or the local simulation) must do for us. */
export interface ChargeRequest {
  /** The same key for every attempt at one order's payment: the provider charges at most once per key. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  orderId: number;
}

export type ChargeOutcome =
  { status: 'succeeded'; transactionId: string } | { status: 'declined'; failureCode: string };

export interface RefundRequest {
  idempotencyKey: string;
  chargeKey: string;
  transactionId: string;
  amountCents: number;
}

export interface PaymentProvider {
  readonly name: 'simulated' | 'stripe';
  /** Throws ProviderUnavailableError when the outcome is unknown (timeout, network). */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** What became of an earlier charge with this key, if the provider saw it; asking never charges. */
  find(request: ChargeRequest): Promise<ChargeOutcome | undefined>;
  refund(request: RefundRequest): Promise<{ refundId: string }>;
}

/** The provider did not answer: the charge may or may not have happened. */
export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

/** Stripe's test payment methods, honoured by both providers. */
export const DEFAULT_PAYMENT_METHOD = 'pm_card_visa';
