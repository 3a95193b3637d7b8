import { describe, expect, it, vi } from 'vitest'
import { berlin, fakeEventSource, FakeEventSource, fakeFetch, json, mug, problem } from '../test/fakes'
import { api, ApiError, newIdempotencyKey, setUnauthorizedHandler, watchOrder } from './client'

describe('api client', () => {
  it('gets the products with the session cookie and JSON accepted', async () => {
    const fetch = fakeFetch({ 'GET /api/products': { products: [mug] } })

    await expect(api.listProducts()).resolves.toEqual({ products: [mug] })

    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/api/products')
    expect(init).toMatchObject({ method: 'GET', credentials: 'same-origin', headers: { Accept: 'application/json' } })
    expect(init?.body).toBeUndefined()
  })

  it('posts an order as JSON with its Idempotency-Key', async () => {
    const fetch = fakeFetch({ 'POST /api/orders': json({ id: 'o-1' }, 201) })

    await api.createOrder({ items: [{ productId: 'p-mug', quantity: 2 }], shippingAddress: berlin }, 'key-1')

    const init = fetch.mock.calls[0]![1]!
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', 'Idempotency-Key': 'key-1' })
    expect(JSON.parse(init.body as string)).toEqual({ items: [{ productId: 'p-mug', quantity: 2 }], shippingAddress: berlin })
  })

  it('asks for a page of orders by limit and cursor', async () => {
    const fetch = fakeFetch({
      'GET /api/orders?limit=20': { orders: [], nextCursor: 'c2' },
      'GET /api/orders?limit=5&cursor=c2': { orders: [], nextCursor: null },
    })

    await api.listOrders()
    await api.listOrders({ limit: 5, cursor: 'c2' })

    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/orders?limit=20', '/api/orders?limit=5&cursor=c2'])
  })

  it('escapes ids in paths', async () => {
    const fetch = fakeFetch({ 'GET /api/orders/a%2Fb': { id: 'a/b' } })
    await api.getOrder('a/b')
    expect(fetch).toHaveBeenCalledWith('/api/orders/a%2Fb', expect.anything())
  })

  it('turns problem details into an ApiError', async () => {
    fakeFetch({ 'POST /api/auth/register': problem(409, 'ALREADY_EXISTS', 'That email is already registered.') })

    const error = await api.register({ email: 'a@example.com', password: 'long enough' }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 409, code: 'ALREADY_EXISTS', message: 'That email is already registered.' })
  })

  it('reports a non-JSON error by its status', async () => {
    fakeFetch({ 'GET /api/products': new Response('upstream down', { status: 502, statusText: 'Bad Gateway' }) })
    await expect(api.listProducts()).rejects.toMatchObject({ status: 502, message: 'Bad Gateway' })
  })

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    await expect(api.listProducts()).rejects.toMatchObject({ status: 0, message: expect.stringMatching(/reach the store/) })
  })

  it('returns nothing for 204 No Content', async () => {
    fakeFetch({ 'POST /api/auth/logout': new Response(null, { status: 204 }) })
    await expect(api.logout()).resolves.toBeUndefined()
  })

  it('calls the unauthorized handler on a 401 that ends a session, not on a failed login', async () => {
    const onUnauthorized = vi.fn()
    setUnauthorizedHandler(onUnauthorized)
    fakeFetch({
      'GET /api/orders?limit=20': problem(401, 'UNAUTHENTICATED', 'Please log in.'),
      'POST /api/auth/login': problem(401, 'UNAUTHENTICATED', 'Wrong email or password.'),
    })

    await expect(api.login({ email: 'a@example.com', password: 'wrong pass' })).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).not.toHaveBeenCalled()
    await expect(api.listOrders()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(onUnauthorized).toHaveBeenCalledOnce()
    setUnauthorizedHandler(null)
  })
})

describe('watchOrder', () => {
  it('passes each status event on and closes when stopped', () => {
    fakeEventSource()
    const onStatus = vi.fn()

    const stop = watchOrder('o-1', onStatus)
    const source = FakeEventSource.last!
    source.emit('status', { status: 'PENDING', trackingId: null })
    source.emit('status', { status: 'SHIPPED', trackingId: 'TRK-1' })
    stop()

    expect(source.url).toBe('/api/orders/o-1/events')
    expect(onStatus.mock.calls).toEqual([[{ status: 'PENDING', trackingId: null }], [{ status: 'SHIPPED', trackingId: 'TRK-1' }]])
    expect(source.readyState).toBe(FakeEventSource.CLOSED)
  })

  it('tells whether the browser gave up on the stream', () => {
    fakeEventSource()
    const onError = vi.fn()
    watchOrder('o-1', () => {}, onError)
    const source = FakeEventSource.last!

    source.onerror?.()
    source.readyState = FakeEventSource.CLOSED
    source.onerror?.()

    expect(onError.mock.calls).toEqual([[false], [true]])
  })
})

describe('newIdempotencyKey', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

  it('makes a fresh UUID each time', () => {
    const a = newIdempotencyKey()
    expect(a).toMatch(uuid)
    expect(newIdempotencyKey()).not.toBe(a)
  })

  it('still makes a UUID v4 where crypto.randomUUID is missing (plain http)', () => {
    const realCrypto = globalThis.crypto
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => realCrypto.getRandomValues(bytes) })
    expect(crypto.randomUUID).toBeUndefined()
    expect(newIdempotencyKey()).toMatch(uuid)
  })
})
