import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import type { Money, Product } from './api/types'
import { times } from './format'

// The cart lives in localStorage, so it survives reloads. Prices shown here are
// the catalog's at the time of adding; the server prices the order itself.
const STORAGE_KEY = 'my-store.cart'
export const MAX_QUANTITY = 100

export interface CartLine {
  product: Product
  quantity: number
}

interface Cart {
  lines: CartLine[]
  /** number of units in the cart */
  count: number
  total: Money | null
  add: (product: Product) => void
  setQuantity: (productId: string, quantity: number) => void
  remove: (productId: string) => void
  clear: () => void
}

const CartContext = createContext<Cart | null>(null)

export function clampQuantity(quantity: number): number {
  if (!Number.isFinite(quantity)) return 1
  return Math.min(MAX_QUANTITY, Math.max(1, Math.round(quantity)))
}

function loadLines(): CartLine[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]')
    if (!Array.isArray(saved)) return []
    return saved
      .filter((line): line is CartLine => typeof line?.product?.id === 'string' && typeof line.quantity === 'number')
      .map((line) => ({ ...line, quantity: clampQuantity(line.quantity) }))
  } catch {
    return []
  }
}

export function CartProvider({ children }: { children: ReactNode }) {
  const [lines, setLines] = useState<CartLine[]>(loadLines)

  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(lines))
  }, [lines])

  const cart: Cart = {
    lines,
    count: lines.reduce((sum, line) => sum + line.quantity, 0),
    total: lines.length
      ? {
          amountMinor: lines.reduce((sum, line) => sum + times(line.product.price, line.quantity).amountMinor, 0),
          currency: lines[0]!.product.price.currency,
        }
      : null,
    add: (product) =>
      setLines((current) =>
        current.some((line) => line.product.id === product.id)
          ? current.map((line) =>
              line.product.id === product.id ? { product, quantity: clampQuantity(line.quantity + 1) } : line,
            )
          : [...current, { product, quantity: 1 }],
      ),
    setQuantity: (productId, quantity) =>
      setLines((current) =>
        current.map((line) => (line.product.id === productId ? { ...line, quantity: clampQuantity(quantity) } : line)),
      ),
    remove: (productId) => setLines((current) => current.filter((line) => line.product.id !== productId)),
    clear: () => setLines([]),
  }

  return <CartContext value={cart}>{children}</CartContext>
}

export function useCart(): Cart {
  const cart = useContext(CartContext)
  if (!cart) throw new Error('useCart must be used inside <CartProvider>')
  return cart
}
