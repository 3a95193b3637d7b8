import { useState } from 'react'
import { api } from '../api/client'
import type { Product } from '../api/types'
import { useCart } from '../cart'
import { EmptyState, ErrorMessage, Loading } from '../components/Status'
import { card, pageTitle, primaryButton } from '../components/styles'
import { formatMoney } from '../format'
import { useResource } from '../useResource'

export default function ProductsPage() {
  const products = useResource('products', api.listProducts)

  return (
    <>
      <h1 className={pageTitle}>Products</h1>
      {products.status === 'loading' && <Loading label="Loading products…" />}
      {products.status === 'error' && (
        <ErrorMessage title="Could not load the products" message={products.error.message} onRetry={products.reload} />
      )}
      {products.status === 'ready' &&
        (products.data.products.length === 0 ? (
          <EmptyState title="No products yet">The catalog is empty. Please come back later.</EmptyState>
        ) : (
          <ul className="grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
            {products.data.products.map((product) => (
              <li key={product.id}>
                <ProductCard product={product} />
              </li>
            ))}
          </ul>
        ))}
    </>
  )
}

export function ProductCard({ product }: { product: Product }) {
  const { add } = useCart()
  const [added, setAdded] = useState(false)

  return (
    <article data-testid="product-card" className={`${card} flex h-full flex-col`}>
      <img
        src={product.imageUrl}
        alt={product.name}
        loading="lazy"
        width={400}
        height={300}
        className="mb-4 aspect-[4/3] w-full rounded-md bg-slate-100 object-cover"
      />
      <h2 className="font-semibold">{product.name}</h2>
      <p className="mt-1 flex-1 text-sm text-slate-600">{product.description}</p>
      <div className="mt-4 flex items-center justify-between gap-2">
        <span className="text-lg font-semibold">{formatMoney(product.price)}</span>
        <button
          type="button"
          className={primaryButton}
          aria-label={`Add ${product.name} to cart`}
          onClick={() => {
            add(product)
            setAdded(true)
          }}
        >
          Add to cart
        </button>
      </div>
      <p role="status" className="mt-2 h-5 text-sm text-green-700">
        {added ? 'Added to your cart' : ''}
      </p>
    </article>
  )
}
