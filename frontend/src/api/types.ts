// The REST API's JSON shapes, written by hand from the contract in DESIGN.md.
// Each interface is named after the schema in the BFF's /api/openapi.json
// (components.schemas.<Name>), and each property has the JSON name and type
// the API sends, so a check can compare the two. Timestamps are ISO 8601 strings.

/** An amount of money in integer minor units (cents for EUR). */
export interface Money {
  amountMinor: number
  currency: string
}

export interface User {
  id: string
  email: string
  isAdmin: boolean
  /** Absent in GET /api/me, which answers from the session token alone. */
  createdAt?: string
}

/** Body of POST /api/auth/register and POST /api/auth/login. */
export interface Credentials {
  email: string
  password: string
}

/** Reply of POST /api/auth/login (the session itself travels in an httpOnly cookie). */
export interface LoginResponse {
  token: string
  expiresAt: string
  user: User
}

export interface Product {
  id: string
  name: string
  description: string
  price: Money
  imageUrl: string
}

/** Reply of GET /api/products. */
export interface ProductList {
  products: Product[]
}

export interface OrderItemRequest {
  productId: string
  quantity: number
}

/**
 * Where an order ships. Optional fields are empty strings when absent; the
 * server trims every value and upper-cases country and postal code.
 */
export interface ShippingAddress {
  recipientName: string
  /** Street and number. */
  line1: string
  /** Optional: flat, floor, c/o. */
  line2: string
  city: string
  postalCode: string
  /** State, province or territory: required for US, CA and AU. */
  region: string
  /** ISO 3166-1 alpha-2, e.g. DE. */
  country: string
  /** Optional, for the carrier. */
  phone: string
}

/** Body of POST /api/orders. */
export interface CreateOrderRequest {
  items: OrderItemRequest[]
  shippingAddress: ShippingAddress
}

export type OrderStatus = 'PENDING' | 'SHIPPED'

export interface OrderItem {
  productId: string
  productName: string
  quantity: number
  unitPrice: Money
  lineTotal: Money
}

export interface Order {
  id: string
  status: OrderStatus
  createdAt: string
  total: Money
  items: OrderItem[]
  trackingId: string | null
  /** Null for an order placed before the store asked where to ship. */
  shippingAddress: ShippingAddress | null
  /** Only in GET /api/orders/{id}, once shipped. */
  shipment?: Shipment | null
}

export interface Shipment {
  trackingId: string
  createdAt: string
  /** Null when addressMissing. */
  shippingAddress: ShippingAddress | null
  /** The order came without an address (placed before the store asked). */
  addressMissing: boolean
}

/** Reply of GET /api/orders (newest first; nextCursor is null on the last page). */
export interface OrderPage {
  orders: Order[]
  nextCursor: string | null
}

/** `data` of an `event: status` message on GET /api/orders/{id}/events. */
export interface OrderStatusEvent {
  status: OrderStatus
  trackingId: string | null
}

/** A step of an order's journey, in order: placed, published, shipping, notification, analytics, shipment, shipped. */
export type JourneyStepName = 'placed' | 'published' | 'shipping' | 'notification' | 'analytics' | 'shipment' | 'shipped'

export interface JourneyStep {
  step: JourneyStepName
  /** Null until the step is reached. */
  at: string | null
  /** Milliseconds after placed; null until the step is reached. */
  afterMs: number | null
}

/** Reply of GET /api/orders/{id}/journey. */
export interface OrderJourney {
  orderId: string
  status: OrderStatus
  steps: JourneyStep[]
  /** Every step has its time. */
  complete: boolean
  /** Null when tracing was off. */
  traceId: string | null
  /** The order's trace in the trace UI; null unless the store knows one. */
  traceUrl: string | null
}

export interface TopProduct {
  productId: string
  productName: string
  units: number
  revenue: Money
}

export interface OrdersPerMinute {
  minute: string
  orders: number
  revenue: Money
}

/** Reply of GET /api/analytics/summary (admins only). */
export interface AnalyticsSummary {
  orderCount: number
  unitsSold: number
  revenue: Money
  topProducts: TopProduct[]
  ordersOverTime: OrdersPerMinute[]
}

/** RFC 9457 problem details, with a gRPC-style code such as INVALID_ARGUMENT. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  /** The request field at fault as a JSON path, e.g. shippingAddress.postalCode. */
  field?: string
}
