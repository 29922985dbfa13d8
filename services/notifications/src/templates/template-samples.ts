import {
  notificationRequestedV1Example,
  orderCancelledV1Example,
  orderStatusChangedV1Example,
  paymentRefundedV1Example,
  paymentSucceededV1Example,
  type PlatformEvent,
} from '@emporium/events';
import { noticeFor, type NoticeType } from '../notices/notice.ts';

const sampleEvents: Partial<Record<NoticeType, PlatformEvent>> = {
  order_confirmation: { ...orderStatusChangedV1Example, status: 'processing', previous_status: 'pending' },
  payment_confirmation: paymentSucceededV1Example,
  order_shipped: orderStatusChangedV1Example,
  order_delivered: { ...orderStatusChangedV1Example, status: 'delivered', previous_status: 'shipped' },
  order_cancelled: orderCancelledV1Example,
  refund_issued: paymentRefundedV1Example,
  password_reset: notificationRequestedV1Example,
};

/** A template's sample data: the event contracts' own examples through the same mapping real events take. */
export function sampleData(type: NoticeType, storefrontUrl: string, currency: string): Record<string, unknown> {
  const customer = { name: 'Ada Lovelace' };
  if (type === 'message') {
    return { subject: 'A note from Emporium', body: 'Our shop is closed on Monday for a stock take.', customer };
  }
  const notice = noticeFor(sampleEvents[type]!, { storefrontUrl });
  return { ...notice!.data, currency, customer };
}
