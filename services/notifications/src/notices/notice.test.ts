import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  notificationRequestedV1Example,
  orderCancelledV1Example,
  orderCreatedV1Example,
  orderStatusChangedV1Example,
  paymentFailedV1Example,
  paymentSucceededV1Example,
} from '@emporium/events';
import { noticeFor } from './notice.ts';

const links = { storefrontUrl: 'https://shop.example.com' };

test('order events map to what the customer hears; a placed or declined order alone says nothing', () => {
  assert.equal(noticeFor(orderCreatedV1Example, links), undefined);
  assert.equal(noticeFor(paymentFailedV1Example, links), undefined);
  const processing = {
    ...orderStatusChangedV1Example,
    status: 'processing' as const,
    previous_status: 'pending' as const,
  };
  assert.equal(noticeFor(processing, links)?.type, 'order_confirmation');
  assert.equal(noticeFor(orderStatusChangedV1Example, links)?.type, 'order_shipped');
  assert.equal(noticeFor(paymentSucceededV1Example, links)?.type, 'payment_confirmation');
  const cancelled = noticeFor(orderCancelledV1Example, links)!;
  assert.equal(cancelled.type, 'order_cancelled');
  assert.deepEqual(cancelled.data['order'], {
    id: 124,
    total_amount: 25.5,
    items: orderCancelledV1Example.items,
    region: 'DE',
    cancel_reason_text: 'the payment was declined',
    was_paid: false,
  });
});

test('a reset request becomes an essential mail with the link to the storefront', () => {
  const notice = noticeFor(notificationRequestedV1Example, links)!;
  assert.equal(notice.type, 'password_reset');
  assert.equal(notice.essential, true);
  assert.deepEqual(notice.data['reset'], {
    url: 'https://shop.example.com/reset-password?token=rst_0123456789abcdef',
    token: 'rst_0123456789abcdef',
    expires_at: '2025-11-23T11:30:00.000Z',
  });
});
