import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mug, putInCart, renderApp, tee } from '../test/fakes'

describe('cart page', () => {
  it('changes quantities within 1..100 and updates the totals', async () => {
    putInCart([mug, 1], [tee, 2])
    renderApp('/cart')

    await userEvent.click(screen.getByRole('button', { name: 'One more Mug' }))
    expect(screen.getByLabelText('Quantity of Mug')).toHaveValue(2)
    expect(screen.getByRole('button', { name: 'One less Mug' })).toBeEnabled()

    const teeQuantity = screen.getByLabelText('Quantity of T-shirt')
    await userEvent.clear(teeQuantity)
    await userEvent.type(teeQuantity, '150')
    expect(teeQuantity).toHaveValue(100)
    expect(screen.getByRole('button', { name: 'One more T-shirt' })).toBeDisabled()

    expect(screen.getByText(/^Total/)).toHaveTextContent('Total €2,024.00') // 2 × €12.50 + 100 × €19.99
    expect(screen.getByRole('link', { name: 'Checkout' })).toHaveAttribute('href', '/checkout')
  })

  it('removes a line and shows the empty cart', async () => {
    putInCart([mug, 1])
    renderApp('/cart')

    const line = screen.getByTestId('cart-line')
    await userEvent.click(within(line).getByRole('button', { name: 'Remove Mug' }))

    expect(screen.getByText('Your cart is empty')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Cart (0)' })).toBeInTheDocument()
  })
})
