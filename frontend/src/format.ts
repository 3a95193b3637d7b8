import type { Money } from './api/types'

// One fixed locale keeps prices and dates the same for every visitor and test.
const LOCALE = 'en-IE'

/** Formats integer minor units in their currency, e.g. {amountMinor: 1999, currency: 'EUR'} → "€19.99". */
export function formatMoney({ amountMinor, currency }: Money): string {
  const format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  return format.format(amountMinor / 10 ** digits)
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' })
}

/** Multiplies a price by a quantity, staying in integer minor units. */
export function times({ amountMinor, currency }: Money, quantity: number): Money {
  return { amountMinor: amountMinor * quantity, currency }
}

/** The time of day to the millisecond, e.g. "14:03:07.125" (the journey panel). */
export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString(LOCALE, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
  })
}

/** A duration in milliseconds, e.g. 1234.56 → "1,234.6 ms". */
export function formatMilliseconds(ms: number): string {
  return `${new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 }).format(ms)} ms`
}
