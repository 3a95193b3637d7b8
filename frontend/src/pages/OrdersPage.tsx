import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { api } from '../api/client'
import type { Order } from '../api/types'
import OrderStatusBadge from '../components/OrderStatusBadge'
import { EmptyState, ErrorMessage, Loading } from '../components/Status'
import { card, link, pageTitle, secondaryButton } from '../components/styles'
import { formatDateTime, formatMoney } from '../format'

const PAGE_SIZE = 20

interface History {
  orders: Order[]
  nextCursor: string | null
  status: 'loading' | 'ready' | 'error'
  error?: string
}

export default function OrdersPage() {
  // Which page to fetch: the first (cursor null) or the one after `cursor`; `attempt` re-runs a failed fetch.
  const [request, setRequest] = useState<{ cursor: string | null; attempt: number }>({ cursor: null, attempt: 0 })
  const [history, setHistory] = useState<History>({ orders: [], nextCursor: null, status: 'loading' })

  useEffect(() => {
    let current = true
    api.listOrders({ limit: PAGE_SIZE, cursor: request.cursor }).then(
      (page) =>
        current &&
        setHistory((state) => ({
          orders: request.cursor ? [...state.orders, ...page.orders] : page.orders,
          nextCursor: page.nextCursor,
          status: 'ready',
        })),
      (error: Error) => current && setHistory((state) => ({ ...state, status: 'error', error: error.message })),
    )
    return () => {
      current = false
    }
  }, [request])

  function loadMore() {
    setHistory((state) => ({ ...state, status: 'loading' }))
    setRequest({ cursor: history.nextCursor, attempt: 0 })
  }

  function retry() {
    setHistory((state) => ({ ...state, status: 'loading' }))
    setRequest((last) => ({ ...last, attempt: last.attempt + 1 }))
  }

  const { orders, nextCursor, status, error } = history

  return (
    <>
      <h1 className={pageTitle}>Your orders</h1>
      {status === 'loading' && orders.length === 0 && <Loading label="Loading your orders…" />}
      {status === 'ready' && orders.length === 0 && (
        <EmptyState title="No orders yet">
          <Link to="/" className={link}>
            Find something you like
          </Link>
        </EmptyState>
      )}
      {orders.length > 0 && (
        <ul className={`${card} divide-y divide-slate-200 p-0`}>
          {orders.map((order) => (
            <li key={order.id} data-testid="order-row">
              <Link
                to={`/orders/${order.id}`}
                className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <span className="font-mono text-sm text-indigo-700">#{order.id.slice(0, 8)}</span>
                <span className="text-sm text-slate-600">{formatDateTime(order.createdAt)}</span>
                <span className="text-sm text-slate-600">
                  {order.items.reduce((sum, item) => sum + item.quantity, 0)} items
                </span>
                {order.shippingAddress && (
                  <span className="text-sm text-slate-600" data-testid="order-destination">
                    to {order.shippingAddress.city}
                  </span>
                )}
                <OrderStatusBadge status={order.status} />
                <span className="ml-auto font-semibold">{formatMoney(order.total)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {status === 'error' && (
        <ErrorMessage title="Could not load your orders" message={error ?? 'Unknown error'} onRetry={retry} />
      )}
      {orders.length > 0 && nextCursor && status !== 'error' && (
        <div className="mt-4 text-center">
          <button type="button" className={secondaryButton} disabled={status === 'loading'} onClick={loadMore}>
            {status === 'loading' ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </>
  )
}
