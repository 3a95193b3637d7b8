import { act, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Order, OrderJourney } from '../api/types'
import { alice, berlin, FakeEventSource, fakeEventSource, fakeFetch, mug, problem, renderApp, signedIn } from '../test/fakes'

const order: Order = {
  id: '0b7e9f3c-1111-4222-8333-444455556666',
  status: 'PENDING',
  createdAt: '2025-03-01T12:00:00Z',
  total: { amountMinor: 2500, currency: 'EUR' },
  items: [{ productId: 'p-mug', productName: 'Mug', quantity: 2, unitPrice: mug.price, lineTotal: { amountMinor: 2500, currency: 'EUR' } }],
  trackingId: null,
  shippingAddress: { ...berlin, line2: 'Hinterhaus', phone: '+49 30 1234567' },
}

const journeyPath = `GET /api/orders/${order.id}/journey`
const journey: OrderJourney = {
  orderId: order.id,
  status: 'PENDING',
  steps: [
    { step: 'placed', at: order.createdAt, afterMs: 0 },
    ...(['published', 'shipping', 'notification', 'analytics', 'shipment', 'shipped'] as const).map((step) => ({
      step,
      at: null,
      afterMs: null,
    })),
  ],
  complete: false,
  traceId: null,
  traceUrl: null,
}

describe('order detail', () => {
  it('turns SHIPPED live from the status events, then stops listening', async () => {
    signedIn()
    fakeEventSource()
    fakeFetch({ 'GET /api/me': alice, [`GET /api/orders/${order.id}`]: order, [journeyPath]: journey })
    renderApp(`/orders/${order.id}`)

    expect(await screen.findByTestId('order-status')).toHaveTextContent('Pending')
    expect(screen.getByText('Mug × 2')).toBeInTheDocument()
    expect(screen.getByText('Waiting for shipment…')).toBeInTheDocument()
    expect(await screen.findByRole('heading', { name: 'Journey' })).toBeInTheDocument()
    expect(await screen.findAllByTestId('journey-step')).toHaveLength(7) // the heading shows before the steps load
    await waitFor(() => expect(FakeEventSource.last).not.toBeNull())
    const source = FakeEventSource.last!
    expect(source.url).toBe(`/api/orders/${order.id}/events`)

    act(() => source.emit('status', { status: 'PENDING', trackingId: null }))
    expect(screen.getByTestId('order-status')).toHaveTextContent('Pending')
    act(() => source.emit('status', { status: 'SHIPPED', trackingId: 'TRK-42' }))

    expect(screen.getByTestId('order-status')).toHaveTextContent('Shipped')
    expect(screen.getByTestId('tracking-id')).toHaveTextContent('TRK-42')
    expect(source.readyState).toBe(FakeEventSource.CLOSED)
  })

  it('shows where the order ships', async () => {
    signedIn()
    fakeEventSource()
    fakeFetch({ 'GET /api/me': alice, [`GET /api/orders/${order.id}`]: order, [journeyPath]: journey })
    renderApp(`/orders/${order.id}`)

    const shipsTo = await screen.findByTestId('shipping-address')
    expect(screen.getByRole('heading', { name: 'Ships to' })).toBeInTheDocument()
    expect(shipsTo).toHaveTextContent('Alice Liddell')
    expect(shipsTo).toHaveTextContent('Unter den Linden 77')
    expect(shipsTo).toHaveTextContent('Hinterhaus')
    expect(shipsTo).toHaveTextContent('10117 Berlin')
    expect(shipsTo).toHaveTextContent('Germany')
    expect(shipsTo).toHaveTextContent('Phone +49 30 1234567')
  })

  it('says so for an order placed before the store asked for an address', async () => {
    signedIn()
    fakeEventSource()
    fakeFetch({ 'GET /api/me': alice, [`GET /api/orders/${order.id}`]: { ...order, shippingAddress: null } })
    renderApp(`/orders/${order.id}`)

    expect(await screen.findByText('This order was placed without a shipping address.')).toBeInTheDocument()
    expect(screen.queryByTestId('shipping-address')).not.toBeInTheDocument()
  })

  it('does not listen for an order that has already shipped', async () => {
    signedIn()
    fakeEventSource()
    fakeFetch({ 'GET /api/me': alice, [`GET /api/orders/${order.id}`]: { ...order, status: 'SHIPPED', trackingId: 'TRK-7' } })
    renderApp(`/orders/${order.id}`)

    expect(await screen.findByTestId('tracking-id')).toHaveTextContent('TRK-7')
    expect(FakeEventSource.last).toBeNull()
  })

  it('says when live updates stop', async () => {
    signedIn()
    fakeEventSource()
    fakeFetch({ 'GET /api/me': alice, [`GET /api/orders/${order.id}`]: order, [journeyPath]: journey })
    renderApp(`/orders/${order.id}`)
    await screen.findByTestId('order-status')
    // The stream opens in an effect after the order is shown: wait for it, not for the render.
    await waitFor(() => expect(FakeEventSource.last).not.toBeNull())

    const source = FakeEventSource.last!
    source.readyState = FakeEventSource.CLOSED
    act(() => source.onerror?.())

    expect(screen.getByRole('alert')).toHaveTextContent('Live updates stopped')
  })

  it('shows a missing order', async () => {
    signedIn()
    fakeFetch({ 'GET /api/me': alice, 'GET /api/orders/nope': problem(404, 'NOT_FOUND', 'No such order.') })
    renderApp('/orders/nope')

    expect(await screen.findByRole('alert')).toHaveTextContent('Order not found')
  })
})
