import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { addressFieldOf, emptyAddress, lastAddress, missingFields, rememberAddress, type AddressField } from '../address'
import { ApiError, api, newIdempotencyKey } from '../api/client'
import type { ShippingAddress } from '../api/types'
import { useAuth } from '../auth'
import { useCart } from '../cart'
import AddressForm, { fieldLabel, type AddressErrors } from '../components/AddressForm'
import { EmptyState, ErrorMessage } from '../components/Status'
import { card, link, pageTitle, primaryButton, secondaryButton } from '../components/styles'
import { formatMoney, times } from '../format'

export default function CheckoutPage() {
  const cart = useCart()
  const { user } = useAuth()
  const navigate = useNavigate()
  const [saved] = useState(() => (user ? lastAddress(user.id) : null))
  const [address, setAddress] = useState<ShippingAddress>(() => saved ?? emptyAddress())
  const [fieldErrors, setFieldErrors] = useState<AddressErrors>({})
  const [focusField, setFocusField] = useState<{ field: AddressField } | null>(null)
  const [placing, setPlacing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // One Idempotency-Key per checkout attempt: a double click or a retry after an
  // error sends the same key, so the server creates the order at most once.
  // Changing the cart or the address makes it a new attempt with a new key.
  const attempt = useRef<{ order: string; key: string } | null>(null)

  useEffect(() => {
    if (focusField) document.getElementById(`address-${focusField.field}`)?.focus()
  }, [focusField])

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

  function showFieldErrors(errors: AddressErrors) {
    setFieldErrors(errors)
    const first = (Object.keys(errors) as AddressField[])[0]
    if (first) setFocusField({ field: first })
  }

  async function placeOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (placing) return
    const missing = missingFields(address)
    if (missing.length > 0) {
      setError(null)
      showFieldErrors(Object.fromEntries(missing.map((field) => [field, `Please enter the ${fieldLabel(field, address.country).toLowerCase()}.`])))
      return
    }
    const items = cart.lines.map((line) => ({ productId: line.product.id, quantity: line.quantity }))
    const signature = JSON.stringify({ items, address })
    if (attempt.current?.order !== signature) attempt.current = { order: signature, key: newIdempotencyKey() }
    setPlacing(true)
    setError(null)
    setFieldErrors({})
    try {
      const order = await api.createOrder({ items, shippingAddress: address }, attempt.current.key)
      if (user) rememberAddress(user.id, order.shippingAddress ?? address)
      cart.clear()
      navigate(`/orders/${order.id}`, { replace: true, state: { placed: true } })
    } catch (failure) {
      const field = failure instanceof ApiError ? addressFieldOf(failure.problem.field) : null
      if (field && failure instanceof ApiError) {
        const detail = failure.message.replace(`${failure.problem.field} `, '')
        showFieldErrors({ [field]: `${fieldLabel(field, address.country)} ${detail}` })
        setError('Please check the shipping address.')
      } else {
        setError(failure instanceof Error ? failure.message : String(failure))
      }
      setPlacing(false)
    }
  }

  function changeAddress(next: ShippingAddress) {
    setAddress(next)
    const changed = (Object.keys(next) as AddressField[]).filter((field) => next[field] !== address[field])
    if (changed.some((field) => fieldErrors[field])) {
      setFieldErrors(Object.fromEntries(Object.entries(fieldErrors).filter(([field]) => !changed.includes(field as AddressField))))
    }
  }

  const addressRejected = Object.keys(fieldErrors).length > 0

  return (
    <>
      <h1 className={pageTitle}>Checkout</h1>
      <form noValidate onSubmit={placeOrder} className="grid max-w-4xl gap-6 md:grid-cols-5">
        <section aria-labelledby="address-heading" className={`${card} md:col-span-3`}>
          <h2 id="address-heading" className="sr-only">
            Where should we ship?
          </h2>
          {saved && (
            <div className="mb-4 flex flex-wrap items-center justify-between gap-2 rounded-md bg-indigo-50 p-3 text-sm text-indigo-900">
              <p>We filled in the address you used last time.</p>
              <button
                type="button"
                className={secondaryButton}
                onClick={() => {
                  setAddress(emptyAddress())
                  setFieldErrors({})
                  setFocusField({ field: 'recipientName' })
                }}
              >
                Use a different address
              </button>
            </div>
          )}
          <AddressForm address={address} errors={fieldErrors} onChange={changeAddress} />
        </section>
        <section aria-labelledby="summary-heading" className={`${card} self-start md:col-span-2`}>
          <h2 id="summary-heading" className="mb-2 font-semibold">
            Order summary
          </h2>
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
            <button type="submit" data-testid="place-order" className={primaryButton} disabled={placing}>
              {placing ? 'Placing order…' : error && !addressRejected ? 'Try again' : 'Place order'}
            </button>
            <Link to="/cart" className={link}>
              Back to cart
            </Link>
          </div>
        </section>
      </form>
    </>
  )
}
