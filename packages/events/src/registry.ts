import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from 'typebox';
import {
  OrderCancelledV1,
  orderCancelledV1Example,
  type OrderCancelledV1 as OrderCancelledV1T,
} from './orders/order-cancelled.v1.ts';
import {
  OrderCreatedV1,
  orderCreatedV1Example,
  type OrderCreatedV1 as OrderCreatedV1T,
} from './orders/order-created.v1.ts';
import {
  OrderStatusChangedV1,
  orderStatusChangedV1Example,
  type OrderStatusChangedV1 as OrderStatusChangedV1T,
} from './orders/order-status-changed.v1.ts';
import {
  NotificationRequestedV1,
  notificationRequestedV1Example,
  type NotificationRequestedV1 as NotificationRequestedV1T,
} from './notifications/notification-requested.v1.ts';
import {
  PaymentFailedV1,
  paymentFailedV1Example,
  type PaymentFailedV1 as PaymentFailedV1T,
} from './payments/payment-failed.v1.ts';
import {
  PaymentRefundedV1,
  paymentRefundedV1Example,
  type PaymentRefundedV1 as PaymentRefundedV1T,
} from './payments/payment-refunded.v1.ts';
import {
  PaymentSucceededV1,
  paymentSucceededV1Example,
  type PaymentSucceededV1 as PaymentSucceededV1T,
} from './payments/payment-succeeded.v1.ts';

export type OrderEvent =
  | OrderCreatedV1T
  | OrderStatusChangedV1T
  | OrderCancelledV1T
  | PaymentSucceededV1T
  | PaymentFailedV1T
  | PaymentRefundedV1T;
export type EventType = OrderEvent['event_type'];
/** Every event on any topic: the `orders` topic's, and what other services ask of the notification service. */
export type PlatformEvent = OrderEvent | NotificationRequestedV1T;

interface Contract<E = OrderEvent> {
  schema: TSchema;
  example: E;
}

/** Every event type and version this system knows, with an example each. */
export const contracts: Record<string, Contract> = {
  'order_created@1': { schema: OrderCreatedV1, example: orderCreatedV1Example },
  'order_status_changed@1': { schema: OrderStatusChangedV1, example: orderStatusChangedV1Example },
  'order_cancelled@1': { schema: OrderCancelledV1, example: orderCancelledV1Example },
  'payment_succeeded@1': { schema: PaymentSucceededV1, example: paymentSucceededV1Example },
  'payment_failed@1': { schema: PaymentFailedV1, example: paymentFailedV1Example },
  'payment_refunded@1': { schema: PaymentRefundedV1, example: paymentRefundedV1Example },
};

/** The `notifications` topic's contracts: requests for a message, not order facts. */
export const notificationContracts: Record<string, Contract<NotificationRequestedV1T>> = {
  'notification_requested@1': { schema: NotificationRequestedV1, example: notificationRequestedV1Example },
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validators = new Map<string, ValidateFunction>(
  Object.entries(contracts).map(([k, c]) => [k, ajv.compile(c.schema)]),
);
const notificationValidators = new Map<string, ValidateFunction>(
  Object.entries(notificationContracts).map(([k, c]) => [k, ajv.compile(c.schema)]),
);

export class InvalidEventError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid event: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
    this.problems = problems;
  }
}

/** Checks a value against the contract its own event_type and event_version name; producers and consumers both call it. */
export function parseEvent(value: unknown): OrderEvent {
  return check(validators, value) as OrderEvent;
}

/** As parseEvent, for a value from any topic (the notification service reads `orders` and `notifications`). */
export function parseAnyEvent(value: unknown): PlatformEvent {
  const v = value as { event_type?: unknown } | null;
  return check(
    v?.event_type === 'notification_requested' ? notificationValidators : validators,
    value,
  ) as PlatformEvent;
}

function check(known: Map<string, ValidateFunction>, value: unknown): unknown {
  const v = value as { event_type?: unknown; event_version?: unknown } | null;
  const key = `${String(v?.event_type)}@${String(v?.event_version)}`;
  const validate = known.get(key);
  if (!validate) throw new InvalidEventError([`unknown event type or version ${key}`]);
  if (!validate(value))
    throw new InvalidEventError((validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
  return value;
}
