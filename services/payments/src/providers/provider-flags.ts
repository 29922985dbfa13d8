import { setTimeout as sleep } from 'node:timers/promises';
import type { Flags } from '@emporium/kit';
import { ProviderUnavailableError, type PaymentProvider } from './provider.ts';

/** Stripe's decline code for a charge the card network could not process. */
export const FLAGGED_DECLINE_CODE = 'processing_error';

type Log = { info(obj: object, message: string): void };

/**
 * The provider as the failure flags make it (docs/failure-flags.md). `paymentLatencyMs` delays every call.
 * `paymentFailure` fails that share of calls: in the `unavailable` mode (the default) as an outage, the call
 * never reaching the provider, so the outcome is unknown to us and the checkout waits and retries; in the
 * `declined` mode a charge is declined, which cancels the order at once.
 */
export function withFailureFlags(
  provider: PaymentProvider,
  flags: Pick<Flags, 'number' | 'string' | 'chance'>,
  log: Log,
): PaymentProvider {
  const delay = async () => {
    const ms = flags.number('paymentLatencyMs');
    if (ms > 0) await sleep(ms);
  };
  const declines = () => flags.string('paymentFailureMode') === 'declined';
  const outage = (call: string, orderId?: number) => {
    if (declines() || !flags.chance('paymentFailure')) return;
    log.info({ call, order_id: orderId }, 'paymentFailure flag: provider call failed as an outage');
    throw new ProviderUnavailableError(`paymentFailure flag: the provider did not answer the ${call}`);
  };
  return {
    name: provider.name,
    async charge(request) {
      await delay();
      if (declines() && flags.chance('paymentFailure')) {
        log.info({ order_id: request.orderId }, 'paymentFailure flag: charge declined');
        return { status: 'declined', failureCode: FLAGGED_DECLINE_CODE };
      }
      outage('charge', request.orderId);
      return provider.charge(request);
    },
    async find(request) {
      await delay();
      outage('look-up', request.orderId);
      return provider.find(request);
    },
    async refund(request) {
      await delay();
      outage('refund');
      return provider.refund(request);
    },
  };
}
