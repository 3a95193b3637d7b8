import { useEffect, useState } from 'react'
import { Link, useLocation, useParams } from 'react-router'
import { addressLines } from '../address'
import { ApiError, api, watchOrder } from '../api/client'
import type { Order, OrderStatusEvent, ShippingAddress } from '../api/types'
import JourneyPanel from '../components/JourneyPanel'
import OrderStatusBadge from '../components/OrderStatusBadge'
import { ErrorMessage, Loading } from '../components/Status'
import { card, link, pageTitle } from '../components/styles'
import { formatDateTime, formatMoney } from '../format'
import { useResource } from '../useResource'

export default function OrderDetailPage() {
  const { id = '' } = useParams()
  const location = useLocation()
  const order = useResource(`order:${id}`, () => api.getOrder(id))

  if (order.status === 'loading') return <Loading label="Loading the order…" />
  if (order.status === 'error') {
    const missing = order.error instanceof ApiError && order.error.status === 404
    return (
      <>
        <h1 className={pageTitle}>Order</h1>
        <ErrorMessage
          title={missing ? 'Order not found' : 'Could not load the order'}
          message={missing ? 'There is no such order in your history.' : order.error.message}
          onRetry={missing ? undefined : order.reload}
        />
        <Link to="/orders" className={link}>
          Back to your orders
        </Link>
      </>
    )
  }
  const placed = (location.state as { placed?: boolean } | null)?.placed === true
  return <OrderDetail key={order.data.id} order={order.data} placed={placed} />
}

function OrderDetail({ order, placed }: { order: Order; placed: boolean }) {
  // The order as loaded, updated live by the status events until it has shipped.
  const [live, setLive] = useState<OrderStatusEvent>({ status: order.status, trackingId: order.trackingId })
  const [connectionLost, setConnectionLost] = useState(false)
  const shippedOnLoad = order.status === 'SHIPPED'

  useEffect(() => {
    if (shippedOnLoad) return
    const stop = watchOrder(
      order.id,
      (event) => {
        setLive(event)
        setConnectionLost(false)
        if (event.status === 'SHIPPED') stop() // final state: nothing more to wait for
      },
      (closed) => setConnectionLost(closed),
    )
    return stop
  }, [order.id, shippedOnLoad])

  return (
    <>
      <h1 className={pageTitle}>
        Order <span className="font-mono text-xl">#{order.id.slice(0, 8)}</span>
      </h1>
      {placed && (
        <p role="status" className="mb-6 rounded-md bg-green-50 p-3 text-green-800 ring-1 ring-green-200">
          Thank you! Your order has been placed.
        </p>
      )}
      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="status-heading" className={card}>
          <h2 id="status-heading" className="mb-4 flex items-center gap-2 font-semibold">
            Status <OrderStatusBadge status={live.status} testId="order-status" />
          </h2>
          <StatusTimeline createdAt={order.createdAt} event={live} />
          {connectionLost && live.status !== 'SHIPPED' && (
            <ErrorMessage title="Live updates stopped" message="Reload the page to see the latest status." />
          )}
        </section>
        <section aria-labelledby="items-heading" className={card}>
          <h2 id="items-heading" className="mb-2 font-semibold">
            Items
          </h2>
          <ul className="divide-y divide-slate-200">
            {order.items.map((item) => (
              <li key={item.productId} className="flex justify-between gap-4 py-2 text-sm">
                <span>
                  {item.productName} × {item.quantity}
                  <span className="block text-xs text-slate-600">{formatMoney(item.unitPrice)} each</span>
                </span>
                <span>{formatMoney(item.lineTotal)}</span>
              </li>
            ))}
          </ul>
          <p className="mt-2 flex justify-between border-t border-slate-200 pt-2 font-semibold">
            <span>Total</span>
            <span>{formatMoney(order.total)}</span>
          </p>
        </section>
        <section aria-labelledby="address-heading" className={card}>
          <h2 id="address-heading" className="mb-2 font-semibold">
            Ships to
          </h2>
          <ShipsTo address={order.shippingAddress ?? order.shipment?.shippingAddress ?? null} />
        </section>
        <JourneyPanel orderId={order.id} status={live.status} />
      </div>
      <p className="mt-6">
        <Link to="/orders" className={link}>
          Back to your orders
        </Link>
      </p>
    </>
  )
}

function ShipsTo({ address }: { address: ShippingAddress | null }) {
  if (!address) return <p className="text-sm text-slate-600">This order was placed without a shipping address.</p>
  return (
    <address data-testid="shipping-address" className="text-sm not-italic">
      {addressLines(address).map((line, index) => (
        <span key={index} className="block">
          {line}
        </span>
      ))}
      {address.phone && <span className="mt-1 block text-slate-600">Phone {address.phone}</span>}
    </address>
  )
}

/** Placed → Shipped, each step ticked once reached; announced to screen readers as it changes. */
export function StatusTimeline({ createdAt, event }: { createdAt: string; event: OrderStatusEvent }) {
  const shipped = event.status === 'SHIPPED'
  return (
    <ol aria-live="polite" className="space-y-4">
      <li className="flex gap-3">
        <Dot done />
        <div>
          <p className="font-medium">Order placed</p>
          <p className="text-sm text-slate-600">{formatDateTime(createdAt)}</p>
        </div>
      </li>
      <li className="flex gap-3">
        <Dot done={shipped} />
        <div>
          {shipped ? (
            <>
              <p className="font-medium">Shipped</p>
              <p className="text-sm text-slate-600">
                Tracking id <span data-testid="tracking-id" className="font-mono">{event.trackingId}</span>
              </p>
            </>
          ) : (
            <>
              <p className="font-medium text-slate-600">Waiting for shipment…</p>
              <p className="text-sm text-slate-600">This updates by itself, no need to reload.</p>
            </>
          )}
        </div>
      </li>
    </ol>
  )
}

function Dot({ done = false }: { done?: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={`mt-1 size-4 shrink-0 rounded-full ${done ? 'bg-green-600' : 'animate-pulse bg-amber-400'}`}
    />
  )
}
