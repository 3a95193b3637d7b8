import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Order } from '../api/types'
import {
  alice,
  berlin,
  fakeEventSource,
  fakeFetch,
  json,
  mug,
  problem,
  putInCart,
  renderApp,
  signedIn,
  tee,
} from '../test/fakes'

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
  shippingAddress: berlin,
}

const SAVED = `my-store.address.${alice.id}`

function ordersPosted(fetch: ReturnType<typeof fakeFetch>) {
  return fetch.mock.calls
    .filter(([url, init]) => url === '/api/orders' && init?.method === 'POST')
    .map(([, init]) => ({
      key: (init!.headers as Record<string, string>)['Idempotency-Key'],
      body: JSON.parse(init!.body as string) as Record<string, unknown>,
    }))
}

function rememberBerlin() {
  localStorage.setItem(SAVED, JSON.stringify(berlin))
}

describe('checkout', () => {
  it('places the order once to the address used last time, clears the cart and opens the order', async () => {
    signedIn()
    rememberBerlin()
    putInCart([mug, 2], [tee, 1])
    fakeEventSource()
    const fetch = fakeFetch({
      'GET /api/me': alice,
      'POST /api/orders': json(order, 201),
      [`GET /api/orders/${order.id}`]: order,
    })
    renderApp('/checkout')

    expect(await screen.findByText('Mug × 2')).toBeInTheDocument()
    expect(screen.getByText('We filled in the address you used last time.')).toBeInTheDocument()
    expect(screen.getByLabelText('Street and number')).toHaveValue('Unter den Linden 77')
    await userEvent.dblClick(screen.getByRole('button', { name: 'Place order' }))

    expect(await screen.findByText('Thank you! Your order has been placed.')).toBeInTheDocument()
    const posted = ordersPosted(fetch)
    expect(posted.length).toBeGreaterThanOrEqual(1)
    expect(new Set(posted.map(({ key }) => key)).size).toBe(1)
    expect(posted[0]!.body).toEqual({
      items: [{ productId: 'p-mug', quantity: 2 }, { productId: 'p-tee', quantity: 1 }],
      shippingAddress: berlin,
    })
    expect(screen.getByRole('link', { name: 'Cart (0)' })).toBeInTheDocument()
  })

  it('collects the address with the keyboard alone and remembers it', async () => {
    signedIn()
    putInCart([mug, 1])
    fakeEventSource()
    const placed = { ...order, shippingAddress: { ...berlin, recipientName: 'Bob Builder', city: 'Toronto' } }
    const fetch = fakeFetch({
      'GET /api/me': alice,
      'POST /api/orders': json(placed, 201),
      [`GET /api/orders/${order.id}`]: placed,
    })
    renderApp('/checkout')

    const name = await screen.findByLabelText('Full name')
    expect(screen.queryByText('We filled in the address you used last time.')).not.toBeInTheDocument()
    expect(name).toHaveAttribute('autocomplete', 'shipping name')
    expect(screen.getByLabelText('Street and number')).toHaveAttribute('autocomplete', 'shipping address-line1')
    expect(screen.getByLabelText('Postal code')).toHaveAttribute('autocomplete', 'shipping postal-code')
    expect(screen.getByLabelText('Country')).toHaveAttribute('autocomplete', 'shipping country')
    expect(screen.getByLabelText('Country')).toHaveValue('DE')

    await userEvent.click(name)
    await userEvent.keyboard('Bob Builder')
    await userEvent.tab()
    await userEvent.keyboard('1 Maple Street')
    await userEvent.tab()
    await userEvent.keyboard('Unit 5')
    await userEvent.tab()
    await userEvent.keyboard('M5V 2T6')
    await userEvent.tab()
    await userEvent.keyboard('Toronto')
    await userEvent.tab()
    await userEvent.keyboard('ON')
    await userEvent.tab()
    expect(screen.getByLabelText('Country')).toHaveFocus()
    await userEvent.selectOptions(screen.getByLabelText('Country'), 'CA')
    expect(screen.getByLabelText('State, province or territory')).toHaveValue('ON') // required now: no "(optional)"
    await userEvent.click(screen.getByLabelText('Phone (optional)'))
    await userEvent.keyboard('+1 416 555 0100{Enter}')

    expect(await screen.findByText('Thank you! Your order has been placed.')).toBeInTheDocument()
    const sent = {
      recipientName: 'Bob Builder',
      line1: '1 Maple Street',
      line2: 'Unit 5',
      city: 'Toronto',
      postalCode: 'M5V 2T6',
      region: 'ON',
      country: 'CA',
      phone: '+1 416 555 0100',
    }
    expect(ordersPosted(fetch)[0]!.body.shippingAddress).toEqual(sent)
    expect(JSON.parse(localStorage.getItem(SAVED)!)).toEqual(placed.shippingAddress) // as the store took it
  })

  it('asks for the required fields next to them before sending anything', async () => {
    signedIn()
    putInCart([mug, 1])
    const fetch = fakeFetch({ 'GET /api/me': alice })
    renderApp('/checkout')

    await userEvent.click(await screen.findByRole('button', { name: 'Place order' }))

    const name = screen.getByLabelText('Full name')
    expect(name).toHaveAttribute('aria-invalid', 'true')
    expect(name).toHaveAccessibleDescription('Please enter the full name.')
    expect(name).toHaveFocus()
    expect(screen.getByLabelText('City')).toHaveAccessibleDescription('Please enter the city.')
    expect(screen.getByLabelText('Postal code')).toHaveAccessibleDescription('Please enter the postal code.') // DE
    expect(screen.getByLabelText('Street and number')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Apartment, floor, c/o (optional)')).toHaveAttribute('aria-invalid', 'false')
    expect(ordersPosted(fetch)).toEqual([])

    await userEvent.type(name, 'A')
    expect(name).toHaveAttribute('aria-invalid', 'false') // the error goes as the field changes
  })

  it("shows the API's problem next to the field it names, and focuses it", async () => {
    signedIn()
    rememberBerlin()
    putInCart([mug, 1])
    fakeEventSource()
    let attempts = 0
    const fetch = fakeFetch({
      'GET /api/me': alice,
      'POST /api/orders': () =>
        ++attempts === 1
          ? json(
              {
                type: 'about:blank',
                title: 'Bad Request',
                status: 400,
                code: 'INVALID_ARGUMENT',
                detail: "shippingAddress.postalCode '1011' is not a postal code of DE (like 10115)",
                field: 'shippingAddress.postalCode',
              },
              400,
              'application/problem+json',
            )
          : json(order, 201),
      [`GET /api/orders/${order.id}`]: order,
    })
    renderApp('/checkout')
    const postalCode = await screen.findByLabelText('Postal code')
    await userEvent.clear(postalCode)
    await userEvent.type(postalCode, '1011')
    await userEvent.click(screen.getByRole('button', { name: 'Place order' }))

    expect(await screen.findByTestId('address-postalCode-error')).toHaveTextContent(
      "Postal code '1011' is not a postal code of DE (like 10115)",
    )
    expect(postalCode).toHaveAttribute('aria-invalid', 'true')
    expect(postalCode).toHaveFocus()
    expect(screen.getByRole('alert')).toHaveTextContent('Please check the shipping address.')
    expect(screen.getByRole('link', { name: 'Cart (1)' })).toBeInTheDocument()

    await userEvent.clear(postalCode)
    await userEvent.type(postalCode, '10117{Enter}')
    expect(await screen.findByText('Thank you! Your order has been placed.')).toBeInTheDocument()
    const [first, second] = ordersPosted(fetch)
    expect(second!.key).not.toBe(first!.key) // another address is another order
  })

  it('offers a different address than the last one', async () => {
    signedIn()
    rememberBerlin()
    putInCart([mug, 1])
    fakeFetch({ 'GET /api/me': alice })
    renderApp('/checkout')

    await userEvent.click(await screen.findByRole('button', { name: 'Use a different address' }))
    expect(screen.getByLabelText('Street and number')).toHaveValue('')
    expect(screen.getByLabelText('Full name')).toHaveFocus()
  })

  it('shows the API error and retries with the same Idempotency-Key', async () => {
    signedIn()
    rememberBerlin()
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
    const [first, second] = ordersPosted(fetch)
    expect(first!.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(second!.key).toBe(first!.key)
  })

  it('shows a rejected order item', async () => {
    signedIn()
    rememberBerlin()
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
