import { describe, expect, it } from 'vitest'
import { formatMoney, times } from './format'

describe('formatMoney', () => {
  it('formats minor units in the currency', () => {
    expect(formatMoney({ amountMinor: 1999, currency: 'EUR' })).toBe('€19.99')
    expect(formatMoney({ amountMinor: 5, currency: 'EUR' })).toBe('€0.05')
    expect(formatMoney({ amountMinor: 123456, currency: 'EUR' })).toBe('€1,234.56')
  })

  it('knows currencies without minor units', () => {
    expect(formatMoney({ amountMinor: 500, currency: 'JPY' })).toBe('JP¥500')
  })

  it('multiplies without floating point', () => {
    expect(times({ amountMinor: 1999, currency: 'EUR' }, 3)).toEqual({ amountMinor: 5997, currency: 'EUR' })
  })
})
