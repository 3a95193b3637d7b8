// Small fakes for the tests: a fetch that answers by "METHOD /path", an
// EventSource that the test drives, and the app rendered at a given URL.
import { render } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { vi } from 'vitest'
import App from '../App'
import type { Product, ShippingAddress, User } from '../api/types'

type Answer = Response | object | ((init: RequestInit) => Response | object)

export function json(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': contentType } })
}

export function problem(status: number, code: string, detail: string): Response {
  return json({ type: 'about:blank', title: code, status, detail, code }, status, 'application/problem+json')
}

/** Stubs fetch: `routes` maps "GET /api/products" (path with query) to a reply; anything else is a 404. */
export function fakeFetch(routes: Record<string, Answer>) {
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const answer = routes[`${init.method ?? 'GET'} ${url}`]
    if (answer === undefined) return problem(404, 'NOT_FOUND', `no fake for ${init.method ?? 'GET'} ${url}`)
    const reply = typeof answer === 'function' ? answer(init) : answer
    return reply instanceof Response ? reply : json(reply)
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

export class FakeEventSource {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSED = 2
  static last: FakeEventSource | null = null
  readyState = FakeEventSource.OPEN
  onerror: (() => void) | null = null
  private listeners: Record<string, ((event: MessageEvent) => void)[]> = {}
  constructor(public url: string) {
    FakeEventSource.last = this
  }
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    ;(this.listeners[type] ??= []).push(listener)
  }
  close() {
    this.readyState = FakeEventSource.CLOSED
  }
  /** Delivers `event: <type>` with `data` as JSON, as the server would. */
  emit(type: string, data: unknown) {
    for (const listener of this.listeners[type] ?? []) listener(new MessageEvent(type, { data: JSON.stringify(data) }))
  }
}

export function fakeEventSource() {
  FakeEventSource.last = null
  vi.stubGlobal('EventSource', FakeEventSource)
}

export const alice: User = { id: 'u-1', email: 'alice@example.com', isAdmin: false, createdAt: '2025-01-01T10:00:00Z' }
export const admin: User = { ...alice, id: 'u-2', email: 'admin@example.com', isAdmin: true }

export const mug: Product = {
  id: 'p-mug',
  name: 'Mug',
  description: 'Holds coffee.',
  price: { amountMinor: 1250, currency: 'EUR' },
  imageUrl: '/images/mug.jpg',
}
export const tee: Product = {
  id: 'p-tee',
  name: 'T-shirt',
  description: 'Soft cotton.',
  price: { amountMinor: 1999, currency: 'EUR' },
  imageUrl: '/images/tee.jpg',
}

export const berlin: ShippingAddress = {
  recipientName: 'Alice Liddell',
  line1: 'Unter den Linden 77',
  line2: '',
  city: 'Berlin',
  postalCode: '10117',
  region: '',
  country: 'DE',
  phone: '',
}

/** Marks this browser as signed in, so the app asks GET /api/me on start. */
export function signedIn() {
  localStorage.setItem('my-store.signed-in', '1')
}

export function putInCart(...lines: [Product, number][]) {
  localStorage.setItem('my-store.cart', JSON.stringify(lines.map(([product, quantity]) => ({ product, quantity }))))
}

export function renderApp(url = '/') {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <App />
    </MemoryRouter>,
  )
}
