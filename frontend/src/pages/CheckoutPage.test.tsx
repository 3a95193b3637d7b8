import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Order } from '../api/types'
import { alice, fakeEventSource, fakeFetch, json, mug, problem, putInCart, renderApp, signedIn, tee } from '../test/fakes'

const order: Order = {
  id: '0b7e9f3c-1111-4222-8333-444455556666',
  status: 'PENDING',
  createdAt: '2025-03-01T12:00:00Z',
  total: { amountMinor: 4499, currency: 'EUR' },
  items: [
    { productId: 'p-mug', productName: 'Mug', quantity: 2, unitPrice: mug.price, lineTotal: { amountMinor: 2500, currency: 'EUR' } },
    { productId: 'p-tee', productName: 'T-shirt', quantity: 1, unitPrice: tee.price, lineTotal: tee.price },
  ],
  trackingId: null,
}

function keysSent(fetch: ReturnType<typeof fakeFetch>) {
  return fetch.mock.calls
    .filter(([url, init]) => url === '/api/orders' && init?.method === 'POST')
    .map(([, init]) => (init!.headers as Record<string, string>)['Idempotency-Key'])
}

describe('checkout', () => {
  it('places the order once, clears the cart and opens the order', async () => {
    signedIn()
    putInCart([mug, 2], [tee, 1])
    fakeEventSource()
    const fetch = fakeFetch({
      'GET /api/me': alice,
      'POST /api/orders': json(order, 201),
      [`GET /api/orders/${order.id}`]: order,
    })
    renderApp('/checkout')

    expect(await screen.findByText('Mug × 2')).toBeInTheDocument()
    await userEvent.dblClick(screen.getByRole('button', { name: 'Place order' }))

    expect(await screen.findByText('Thank you! Your order has been placed.')).toBeInTheDocument()
    const keys = keysSent(fetch)
    expect(keys.length).toBeGreaterThanOrEqual(1)
    expect(new Set(keys).size).toBe(1)
    const body = JSON.parse(fetch.mock.calls.find(([url]) => url === '/api/orders')![1]!.body as string)
    expect(body).toEqual({ items: [{ productId: 'p-mug', quantity: 2 }, { productId: 'p-tee', quantity: 1 }] })
    expect(screen.getByRole('link', { name: 'Cart (0)' })).toBeInTheDocument()
  })

  it('shows the API error and retries with the same Idempotency-Key', async () => {
    signedIn()
    putInCart([mug, 1])
    let attempts = 0
    const fetch = fakeFetch({
      'GET /api/me': alice,
      'POST /api/orders': () =>
        ++attempts === 1 ? problem(503, 'UNAVAILABLE', 'The order service is busy.') : json(order, 201),
      [`GET /api/orders/${order.id}`]: { ...order, status: 'SHIPPED', trackingId: 'TRK-1' },
    })
    renderApp('/checkout')

    await userEvent.click(await screen.findByRole('button', { name: 'Place order' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('The order service is busy.')
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))

    expect(await screen.findByText('Thank you! Your order has been placed.')).toBeInTheDocument()
    const [first, second] = keysSent(fetch)
    expect(first).toMatch(/^[0-9a-f-]{36}$/)
    expect(second).toBe(first)
  })

  it('shows a rejected order item', async () => {
    signedIn()
    putInCart([mug, 1])
    fakeFetch({
      'GET /api/me': alice,
      'POST /api/orders': problem(400, 'INVALID_ARGUMENT', 'Unknown product p-mug.'),
    })
    renderApp('/checkout')

    await userEvent.click(await screen.findByRole('button', { name: 'Place order' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Unknown product p-mug.')
    expect(screen.getByRole('link', { name: 'Cart (1)' })).toBeInTheDocument()
  })
})
