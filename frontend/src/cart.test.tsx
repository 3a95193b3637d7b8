import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { CartProvider, clampQuantity, useCart } from './cart'
import { mug, putInCart, tee } from './test/fakes'

const wrapper = ({ children }: { children: ReactNode }) => <CartProvider>{children}</CartProvider>

describe('cart', () => {
  it('adds products, counting repeats as more of the same line', () => {
    const { result } = renderHook(useCart, { wrapper })

    act(() => result.current.add(mug))
    act(() => result.current.add(tee))
    act(() => result.current.add(mug))

    expect(result.current.lines.map((line) => [line.product.id, line.quantity])).toEqual([
      ['p-mug', 2],
      ['p-tee', 1],
    ])
    expect(result.current.count).toBe(3)
    expect(result.current.total).toEqual({ amountMinor: 2 * 1250 + 1999, currency: 'EUR' })
  })

  it('keeps quantities between 1 and 100', () => {
    const { result } = renderHook(useCart, { wrapper })
    act(() => result.current.add(mug))

    act(() => result.current.setQuantity('p-mug', 250))
    expect(result.current.lines[0]!.quantity).toBe(100)
    act(() => result.current.add(mug))
    expect(result.current.lines[0]!.quantity).toBe(100)
    act(() => result.current.setQuantity('p-mug', 0))
    expect(result.current.lines[0]!.quantity).toBe(1)
    expect(clampQuantity(Number.NaN)).toBe(1)
  })

  it('removes lines and clears', () => {
    const { result } = renderHook(useCart, { wrapper })
    act(() => result.current.add(mug))
    act(() => result.current.add(tee))

    act(() => result.current.remove('p-mug'))
    expect(result.current.lines.map((line) => line.product.id)).toEqual(['p-tee'])
    act(() => result.current.clear())
    expect(result.current.lines).toEqual([])
    expect(result.current.total).toBeNull()
  })

  it('survives a reload through localStorage', () => {
    const first = renderHook(useCart, { wrapper })
    act(() => first.result.current.add(tee))
    first.unmount()

    const second = renderHook(useCart, { wrapper })
    expect(second.result.current.lines).toEqual([{ product: tee, quantity: 1 }])
  })

  it('ignores a damaged saved cart', () => {
    localStorage.setItem('my-store.cart', '{not json')
    expect(renderHook(useCart, { wrapper }).result.current.lines).toEqual([])

    localStorage.setItem('my-store.cart', JSON.stringify([{ product: null, quantity: 1 }, { product: mug, quantity: 500 }]))
    expect(renderHook(useCart, { wrapper }).result.current.lines).toEqual([{ product: mug, quantity: 100 }])
  })

  it('starts from what is saved', () => {
    putInCart([mug, 3])
    expect(renderHook(useCart, { wrapper }).result.current.count).toBe(3)
  })
})
