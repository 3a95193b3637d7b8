import { Link } from 'react-router'
import { MAX_QUANTITY, useCart, type CartLine } from '../cart'
import { EmptyState } from '../components/Status'
import { card, link, pageTitle, primaryButton, secondaryButton } from '../components/styles'
import { formatMoney, times } from '../format'

export default function CartPage() {
  const { lines, total } = useCart()

  return (
    <>
      <h1 className={pageTitle}>Your cart</h1>
      {lines.length === 0 || !total ? (
        <EmptyState title="Your cart is empty">
          <Link to="/" className={link}>
            Browse the products
          </Link>
        </EmptyState>
      ) : (
        <div className={card}>
          <ul className="divide-y divide-slate-200">
            {lines.map((line) => (
              <CartRow key={line.product.id} line={line} />
            ))}
          </ul>
          <div className="mt-4 flex flex-wrap items-center justify-between gap-4 border-t border-slate-200 pt-4">
            <p className="text-lg">
              Total <span className="font-semibold">{formatMoney(total)}</span>
            </p>
            <Link to="/checkout" className={primaryButton}>
              Checkout
            </Link>
          </div>
        </div>
      )}
    </>
  )
}

export function CartRow({ line }: { line: CartLine }) {
  const { setQuantity, remove } = useCart()
  const { product, quantity } = line
  const inputId = `quantity-${product.id}`

  return (
    <li data-testid="cart-line" className="flex flex-wrap items-center gap-4 py-4">
      <img src={product.imageUrl} alt="" width={64} height={64} className="size-16 rounded-md bg-slate-100 object-cover" />
      <div className="min-w-40 flex-1">
        <p className="font-medium">{product.name}</p>
        <p className="text-sm text-slate-600">{formatMoney(product.price)} each</p>
      </div>
      {/* Quantity, line total and Remove: one row of their own on a phone, beside the name on wider screens. */}
      <div className="flex w-full items-center gap-4 sm:w-auto">
        <div className="flex items-center gap-1">
          <button
            type="button"
            className={secondaryButton}
            aria-label={`One less ${product.name}`}
            disabled={quantity <= 1}
            onClick={() => setQuantity(product.id, quantity - 1)}
          >
            −
          </button>
          <label htmlFor={inputId} className="sr-only">
            Quantity of {product.name}
          </label>
          <input
            id={inputId}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_QUANTITY}
            value={quantity}
            onChange={(event) => {
              const value = event.target.valueAsNumber
              if (!Number.isNaN(value)) setQuantity(product.id, value)
            }}
            className="w-16 rounded-md px-2 py-2 text-center ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none"
          />
          <button
            type="button"
            className={secondaryButton}
            aria-label={`One more ${product.name}`}
            disabled={quantity >= MAX_QUANTITY}
            onClick={() => setQuantity(product.id, quantity + 1)}
          >
            +
          </button>
        </div>
        <p className="ml-auto w-24 text-right font-semibold">{formatMoney(times(product.price, quantity))}</p>
        <button
          type="button"
          className={secondaryButton}
          aria-label={`Remove ${product.name}`}
          onClick={() => remove(product.id)}
        >
          Remove
        </button>
      </div>
    </li>
  )
}
