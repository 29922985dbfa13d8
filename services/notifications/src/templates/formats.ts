/**
 * Money and dates as the customer reads them. The mail is in English, so the locale is English as used in
 * the shipping country (`en-GB`: "23 November 2025 at 10:30 GMT"; `en-US`: "November 23, 2025 at 10:30 AM
 * EST"), in that country's main time zone; the shipping country is all the events say about where a
 * customer is. The currency is the shop's (payments' CURRENCY).
 */
const ZONES: Record<string, string> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  US: 'America/New_York',
  CA: 'America/Toronto',
  AU: 'Australia/Sydney',
  NZ: 'Pacific/Auckland',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  FR: 'Europe/Paris',
  BE: 'Europe/Brussels',
  ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  SE: 'Europe/Stockholm',
  DK: 'Europe/Copenhagen',
  PL: 'Europe/Warsaw',
  JP: 'Asia/Tokyo',
  IN: 'Asia/Kolkata',
  SG: 'Asia/Singapore',
};

export interface FormatContext {
  region?: unknown;
  currency?: unknown;
}

type Formatter = { money(value: unknown): string; date(value: unknown): string };
const cache = new Map<string, Formatter>();

// Intl formatters are slow to build and safe to share: one per country and currency.
export function formatterFor(ctx: FormatContext): Formatter {
  const key = `${String(ctx.region)}/${String(ctx.currency)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = build(ctx)));
  return f;
}

function build(ctx: FormatContext): Formatter {
  const country = typeof ctx.region === 'string' && /^[A-Z]{2}$/.test(ctx.region) ? ctx.region : 'US';
  const locale = Intl.NumberFormat.supportedLocalesOf(`en-${country}`)[0] ?? 'en-US';
  const timeZone = ZONES[country] ?? 'UTC';
  const currency = typeof ctx.currency === 'string' ? ctx.currency : 'USD';
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const date = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
  return {
    money: (value: unknown) => (typeof value === 'number' ? money.format(value) : ''),
    date: (value: unknown) => {
      const d = typeof value === 'string' || value instanceof Date ? new Date(value) : undefined;
      return d && !Number.isNaN(d.getTime()) ? date.format(d) : '';
    },
  };
}
