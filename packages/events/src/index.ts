export { EventItem, Money, OrderStatus } from './envelope.ts';
export { OrderCancelledV1, orderCancelledV1Example } from './orders/order-cancelled.v1.ts';
export { OrderCreatedV1, orderCreatedV1Example } from './orders/order-created.v1.ts';
export { OrderStatusChangedV1, orderStatusChangedV1Example } from './orders/order-status-changed.v1.ts';
export { NotificationRequestedV1, notificationRequestedV1Example } from './notifications/notification-requested.v1.ts';
export { PaymentStatus } from './payments/payment-fields.ts';
export { PaymentFailedV1, paymentFailedV1Example } from './payments/payment-failed.v1.ts';
export { PaymentRefundedV1, paymentRefundedV1Example } from './payments/payment-refunded.v1.ts';
export { PaymentSucceededV1, paymentSucceededV1Example } from './payments/payment-succeeded.v1.ts';
export {
  contracts,
  InvalidEventError,
  notificationContracts,
  parseAnyEvent,
  parseEvent,
  type EventType,
  type OrderEvent,
  type PlatformEvent,
} from './registry.ts';
export { deadLetterTopic, TOPICS } from './topics.ts';
export { AnomalyV1, anomalyV1Example } from './analytics/anomaly.v1.ts';
export { OrdersByRegionV1, ordersByRegionV1Example } from './analytics/orders-by-region.v1.ts';
export { PeakHoursV1, peakHoursV1Example } from './analytics/peak-hours.v1.ts';
export { TopProductV1, topProductV1Example } from './analytics/top-products.v1.ts';
export { WindowSummaryV1, windowSummaryV1Example } from './analytics/window-summary.v1.ts';
export {
  parseAnalyticsResult,
  resultContracts,
  resultItemKey,
  resultMessageKey,
  type AnalyticsResult,
  type ResultType,
} from './analytics/results.ts';
