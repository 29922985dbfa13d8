import type { PlatformEvent } from '@emporium/events';

/** What a customer can be told; each has a template folder (`templates/<type>/`). */
export const NOTICE_TYPES = [
  'order_confirmation',
  'payment_confirmation',
  'order_shipped',
  'order_delivered',
  'order_cancelled',
  'refund_issued',
  'password_reset',
  'message',
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export interface Notice {
  type: NoticeType;
  userId: number;
  /** Security mail (a reset link) goes by email whatever the customer chose for news about orders. */
  essential: boolean;
  /** The template's data, without the recipient (added once the recipient is known). */
  data: Record<string, unknown>;
}

const CANCEL_REASONS: Record<string, string> = {
  payment_declined: 'the payment was declined',
  cancelled_by_customer: 'you cancelled it',
  cancelled_by_admin: 'we cancelled it',
  catalog_unavailable: 'we could not confirm the stock in time',
  payment_unresolved: 'we could not confirm the payment',
};

/**
 * Which order events a customer hears about. `order_created` says nothing yet: the payment decides
 * between a confirmation and a cancellation, and a declined card must never get a confirmation.
 * `payment_failed` is told by the cancellation that follows it.
 */
export function noticeFor(event: PlatformEvent, links: { storefrontUrl: string }): Notice | undefined {
  if (event.event_type === 'notification_requested') {
    const url = new URL('/reset-password', links.storefrontUrl);
    url.searchParams.set('token', event.data.reset_token);
    return {
      type: 'password_reset',
      userId: event.user_id,
      essential: true,
      data: { reset: { url: url.toString(), token: event.data.reset_token, expires_at: event.data.expires_at } },
    };
  }
  const order = {
    id: event.order_id,
    total_amount: event.total_amount,
    items: event.items,
    region: event.region,
  };
  const notice = (type: NoticeType, extra: Record<string, unknown> = {}): Notice => ({
    type,
    userId: event.user_id,
    essential: false,
    data: { region: event.region, ...extra, order: { ...order, ...(extra['order'] as object | undefined) } },
  });
  switch (event.event_type) {
    case 'order_status_changed':
      if (event.status === 'processing') return notice('order_confirmation', { order: { placed_at: event.timestamp } });
      if (event.status === 'shipped') return notice('order_shipped', { order: { changed_at: event.timestamp } });
      if (event.status === 'delivered') return notice('order_delivered', { order: { changed_at: event.timestamp } });
      return undefined;
    case 'payment_succeeded':
      return notice('payment_confirmation', {
        payment: {
          amount: event.amount,
          paid_at: event.timestamp,
          reference: event.transaction_id ?? `#${event.payment_id}`,
        },
      });
    case 'order_cancelled':
      return notice('order_cancelled', {
        order: {
          cancel_reason_text: CANCEL_REASONS[event.cancel_reason] ?? event.cancel_reason.replaceAll('_', ' '),
          was_paid: event.previous_status === 'processing',
        },
      });
    case 'payment_refunded':
      return notice('refund_issued', { refund: { amount: event.refund_amount, refunded_at: event.timestamp } });
    default:
      return undefined;
  }
}
