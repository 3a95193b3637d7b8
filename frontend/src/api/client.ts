// The one client for the BFF's REST API. The session lives in an httpOnly
// cookie that the browser sends by itself (credentials: 'same-origin'): the
// token in the login reply is deliberately never stored.
import type {
  AnalyticsSummary,
  CreateOrderRequest,
  Credentials,
  LoginResponse,
  Order,
  OrderJourney,
  OrderPage,
  OrderStatusEvent,
  Problem,
  ProductList,
  User,
} from './types'

/** A failed request: the API's problem details, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string | undefined
  readonly problem: Partial<Problem>

  constructor(status: number, problem: Partial<Problem>) {
    super(problem.detail || problem.title || `Request failed (HTTP ${status})`)
    this.name = 'ApiError'
    this.status = status
    this.code = problem.code
    this.problem = problem
  }
}

let unauthorizedHandler: (() => void) | null = null

/** Registers what to do when the API answers 401 to a request that needs a session (it has ended). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler
}

interface RequestOptions {
  method?: 'GET' | 'POST'
  body?: unknown
  headers?: Record<string, string>
  /** false for requests where 401 is an ordinary answer (login, register, me). */
  needsSession?: boolean
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, headers = {}, needsSession = true } = options
  let response: Response
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'Could not reach the store. Please try again.' })
  }
  if (response.status === 401 && needsSession) unauthorizedHandler?.()
  if (!response.ok) throw await problemOf(response)
  if (response.status === 204) return undefined as T
  return (await response.json()) as T
}

async function problemOf(response: Response): Promise<ApiError> {
  const fallback = { status: response.status, title: response.statusText || 'Request failed' }
  if (!(response.headers.get('Content-Type') ?? '').includes('json')) return new ApiError(response.status, fallback)
  try {
    const problem = (await response.json()) as Partial<Problem>
    return new ApiError(response.status, { ...fallback, ...problem })
  } catch {
    return new ApiError(response.status, fallback)
  }
}

export const api = {
  register: (credentials: Credentials) =>
    request<User>('/auth/register', { method: 'POST', body: credentials, needsSession: false }),
  login: (credentials: Credentials) =>
    request<LoginResponse>('/auth/login', { method: 'POST', body: credentials, needsSession: false }),
  logout: () => request<void>('/auth/logout', { method: 'POST' }),
  me: () => request<User>('/me', { needsSession: false }),

  listProducts: () => request<ProductList>('/products', { needsSession: false }),

  /** The same idempotencyKey on a retry returns the first attempt's order instead of a second one. */
  createOrder: (order: CreateOrderRequest, idempotencyKey: string) =>
    request<Order>('/orders', { method: 'POST', body: order, headers: { 'Idempotency-Key': idempotencyKey } }),
  listOrders: ({ limit = 20, cursor }: { limit?: number; cursor?: string | null } = {}) => {
    const query = new URLSearchParams({ limit: String(limit) })
    if (cursor) query.set('cursor', cursor)
    return request<OrderPage>(`/orders?${query}`)
  },
  getOrder: (id: string) => request<Order>(`/orders/${encodeURIComponent(id)}`),
  getJourney: (id: string) => request<OrderJourney>(`/orders/${encodeURIComponent(id)}/journey`),

  analyticsSummary: () => request<AnalyticsSummary>('/analytics/summary'),
}

/**
 * Follows an order's status over Server-Sent Events (`event: status`); the first
 * event is the current state. Returns a function that stops listening.
 */
export function watchOrder(
  id: string,
  onStatus: (event: OrderStatusEvent) => void,
  onError: (closed: boolean) => void = () => {},
): () => void {
  const source = new EventSource(`/api/orders/${encodeURIComponent(id)}/events`)
  source.addEventListener('status', (message) => {
    try {
      onStatus(JSON.parse((message as MessageEvent<string>).data) as OrderStatusEvent)
    } catch {
      onError(false)
    }
  })
  // EventSource reconnects by itself after a dropped stream; CLOSED means it gave up.
  source.onerror = () => onError(source.readyState === EventSource.CLOSED)
  return () => source.close()
}

/** A random UUID v4 for the Idempotency-Key header (also outside secure contexts). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
