import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { fakeFetch, mug, problem, renderApp, tee } from '../test/fakes'

describe('products page', () => {
  it('lists the products with images and prices, and adds them to the cart', async () => {
    fakeFetch({ 'GET /api/products': { products: [mug, tee] } })
    renderApp('/')

    expect(screen.getByRole('status')).toHaveTextContent('Loading products…')
    expect(await screen.findByRole('heading', { name: 'Mug' })).toBeInTheDocument()
    expect(screen.getByRole('img', { name: 'T-shirt' })).toHaveAttribute('src', '/images/tee.jpg')
    expect(screen.getByText('€12.50')).toBeInTheDocument()

    await userEvent.click(screen.getByRole('button', { name: 'Add Mug to cart' }))
    await userEvent.click(screen.getByRole('button', { name: 'Add Mug to cart' }))

    expect(screen.getByRole('link', { name: 'Cart (2)' })).toBeInTheDocument()
    expect(JSON.parse(localStorage.getItem('my-store.cart')!)).toEqual([{ product: mug, quantity: 2 }])
  })

  it('shows an error and tries again', async () => {
    let calls = 0
    fakeFetch({
      'GET /api/products': () => (++calls === 1 ? problem(503, 'UNAVAILABLE', 'Catalog is starting.') : { products: [mug] }),
    })
    renderApp('/')

    expect(await screen.findByRole('alert')).toHaveTextContent('Catalog is starting.')
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('heading', { name: 'Mug' })).toBeInTheDocument()
  })

  it('says so when the catalog is empty', async () => {
    fakeFetch({ 'GET /api/products': { products: [] } })
    renderApp('/')
    expect(await screen.findByText('No products yet')).toBeInTheDocument()
  })
})
