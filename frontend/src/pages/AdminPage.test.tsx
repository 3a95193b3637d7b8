import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { AnalyticsSummary } from '../api/types'
import { admin, fakeFetch, renderApp, signedIn } from '../test/fakes'

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' })

const summary: AnalyticsSummary = {
  orderCount: 3,
  unitsSold: 7,
  revenue: eur(10450),
  topProducts: [
    { productId: 'p-mug', productName: 'Mug', units: 5, revenue: eur(6250) },
    { productId: 'p-tee', productName: 'T-shirt', units: 2, revenue: eur(4200) },
  ],
  ordersOverTime: [
    { minute: '2025-03-01T12:00:00Z', orders: 2, revenue: eur(6000) },
    { minute: '2025-03-01T12:01:00Z', orders: 1, revenue: eur(4450) },
  ],
}

describe('analytics dashboard', () => {
  it('shows the totals, the charts and the top products', async () => {
    signedIn()
    fakeFetch({ 'GET /api/me': admin, 'GET /api/analytics/summary': summary })
    renderApp('/admin')

    expect(await screen.findByTestId('order-count')).toHaveTextContent('3')
    expect(screen.getByText('€104.50')).toBeInTheDocument()
    expect(screen.getByRole('region', { name: 'Orders per minute' })).toBeInTheDocument()
    expect(screen.getByRole('region', { name: 'Revenue per minute' })).toBeInTheDocument()
    expect(screen.getByRole('row', { name: 'Mug 5 €62.50' })).toBeInTheDocument()
  })

  it('shows an empty store and refreshes', async () => {
    signedIn()
    let calls = 0
    fakeFetch({
      'GET /api/me': admin,
      'GET /api/analytics/summary': () =>
        ++calls === 1
          ? { orderCount: 0, unitsSold: 0, revenue: eur(0), topProducts: [], ordersOverTime: [] }
          : summary,
    })
    renderApp('/admin')

    expect(await screen.findByText('No orders yet')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }))
    expect(await screen.findByTestId('order-count')).toHaveTextContent('3')
  })
})
