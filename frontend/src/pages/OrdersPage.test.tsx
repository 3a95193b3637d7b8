import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Order } from '../api/types'
import { alice, berlin, fakeFetch, mug, problem, renderApp, signedIn } from '../test/fakes'

function anOrder(n: number): Order {
  return {
    id: `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`,
    status: n % 2 ? 'SHIPPED' : 'PENDING',
    createdAt: `2025-03-0${n}T12:00:00Z`,
    total: mug.price,
    items: [{ productId: 'p-mug', productName: 'Mug', quantity: 1, unitPrice: mug.price, lineTotal: mug.price }],
    trackingId: n % 2 ? `TRK-${n}` : null,
    shippingAddress: n === 1 ? null : { ...berlin, city: n === 2 ? 'Hamburg' : 'Berlin' },
  }
}

describe('order history', () => {
  it('loads more orders after the cursor until there are no more', async () => {
    signedIn()
    fakeFetch({
      'GET /api/me': alice,
      'GET /api/orders?limit=20': { orders: [anOrder(3), anOrder(2)], nextCursor: 'after-2' },
      'GET /api/orders?limit=20&cursor=after-2': { orders: [anOrder(1)], nextCursor: null },
    })
    renderApp('/orders')

    expect(await screen.findAllByTestId('order-row')).toHaveLength(2)
    expect(screen.getByRole('link', { name: /#00000003/ })).toHaveAttribute('href', `/orders/${anOrder(3).id}`)

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }))

    await screen.findByRole('link', { name: /#00000001/ })
    expect(screen.getAllByTestId('order-row')).toHaveLength(3)
    // Where each goes: the destination city (an order from before addresses has none).
    expect(screen.getAllByTestId('order-destination').map((city) => city.textContent)).toEqual(['to Berlin', 'to Hamburg'])
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument()
  })

  it('shows the empty history', async () => {
    signedIn()
    fakeFetch({ 'GET /api/me': alice, 'GET /api/orders?limit=20': { orders: [], nextCursor: null } })
    renderApp('/orders')
    expect(await screen.findByText('No orders yet')).toBeInTheDocument()
  })

  it('shows an error and tries again', async () => {
    signedIn()
    let calls = 0
    fakeFetch({
      'GET /api/me': alice,
      'GET /api/orders?limit=20': () =>
        ++calls === 1 ? problem(503, 'UNAVAILABLE', 'Orders are unavailable.') : { orders: [anOrder(1)], nextCursor: null },
    })
    renderApp('/orders')

    expect(await screen.findByRole('alert')).toHaveTextContent('Orders are unavailable.')
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findAllByTestId('order-row')).toHaveLength(1)
  })
})
