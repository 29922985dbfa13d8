// Prices and dates in the customer's own locale; the shop charges in US dollars (the payment service's CURRENCY).
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatMoney = (amount: number) => money.format(amount);
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDate = (iso: string) => dateOnly.format(new Date(iso));

const STATUS_WORDS: Record<string, string> = {
  pending: 'Pending',
  processing: 'Processing',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  succeeded: 'Paid',
  failed: 'Failed',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
};
export const statusWord = (status: string) => STATUS_WORDS[status] ?? status;

const REASONS: Record<string, string> = {
  payment_declined: 'the card was declined',
  cancelled_by_customer: 'you cancelled it',
  cancelled_by_admin: 'the shop cancelled it',
  stock_unavailable: 'an item ran out of stock',
  payment_unresolved: 'the payment could not be confirmed',
  stock_unresolved: 'the stock could not be confirmed',
};
export const reasonWords = (reason: string | null) => (reason ? (REASONS[reason] ?? reason.replaceAll('_', ' ')) : '');

export const formatAddress = (a: {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code?: string;
  country: string;
}) => [a.line1, a.line2, a.city, a.region, a.postal_code, a.country].filter(Boolean).join(', ');
