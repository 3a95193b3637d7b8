import { useRef, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, newIdempotencyKey } from '../api/client'
import { useCart } from '../cart'
import { EmptyState, ErrorMessage } from '../components/Status'
import { card, link, pageTitle, primaryButton } from '../components/styles'
import { formatMoney, times } from '../format'

export default function CheckoutPage() {
  const cart = useCart()
  const navigate = useNavigate()
  const [placing, setPlacing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // One Idempotency-Key per checkout attempt: a double click or a retry after an
  // error sends the same key, so the server creates the order at most once.
  // Changing the cart makes it a new attempt with a new key.
  const attempt = useRef<{ items: string; key: string } | null>(null)

  if (cart.lines.length === 0 || !cart.total) {
    return (
      <>
        <h1 className={pageTitle}>Checkout</h1>
        <EmptyState title="Your cart is empty">
          <Link to="/" className={link}>
            Browse the products
          </Link>
        </EmptyState>
      </>
    )
  }

  async function placeOrder() {
    const items = cart.lines.map((line) => ({ productId: line.product.id, quantity: line.quantity }))
    const signature = JSON.stringify(items)
    if (attempt.current?.items !== signature) attempt.current = { items: signature, key: newIdempotencyKey() }
    setPlacing(true)
    setError(null)
    try {
      const order = await api.createOrder({ items }, attempt.current.key)
      cart.clear()
      navigate(`/orders/${order.id}`, { replace: true, state: { placed: true } })
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
      setPlacing(false)
    }
  }

  return (
    <>
      <h1 className={pageTitle}>Checkout</h1>
      <div className={`${card} max-w-xl`}>
        <h2 className="mb-2 font-semibold">Order summary</h2>
        <ul className="divide-y divide-slate-200">
          {cart.lines.map(({ product, quantity }) => (
            <li key={product.id} className="flex justify-between gap-4 py-2 text-sm">
              <span>
                {product.name} × {quantity}
              </span>
              <span>{formatMoney(times(product.price, quantity))}</span>
            </li>
          ))}
        </ul>
        <p className="mt-4 flex justify-between border-t border-slate-200 pt-4 text-lg">
          <span>Total</span>
          <span className="font-semibold">{formatMoney(cart.total)}</span>
        </p>
        <p className="mt-1 text-xs text-slate-600">The store confirms the final prices when it takes the order.</p>
        {error && <ErrorMessage title="The order was not placed" message={error} />}
        <div className="mt-4 flex flex-wrap items-center gap-4">
          <button
            type="button"
            data-testid="place-order"
            className={primaryButton}
            disabled={placing}
            onClick={placeOrder}
          >
            {placing ? 'Placing order…' : error ? 'Try again' : 'Place order'}
          </button>
          <Link to="/cart" className={link}>
            Back to cart
          </Link>
        </div>
      </div>
    </>
  )
}
