import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { alice, fakeFetch, json, problem, renderApp, signedIn } from './test/fakes'

async function logIn(email: string, password: string) {
  await userEvent.type(screen.getByLabelText('Email'), email)
  await userEvent.type(screen.getByLabelText('Password'), password)
  await userEvent.click(screen.getByRole('button', { name: 'Log in' }))
}

describe('signing in and out', () => {
  it('sends a visitor to /login and back to the page they wanted', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/login': { token: 'jwt', expiresAt: '2030-01-01T00:00:00Z', user: alice },
      'GET /api/orders?limit=20': { orders: [], nextCursor: null },
    })
    renderApp('/orders')

    expect(screen.getByRole('heading', { name: 'Log in' })).toBeInTheDocument()
    await logIn('alice@example.com', 'secret password')

    expect(await screen.findByRole('heading', { name: 'Your orders' })).toBeInTheDocument()
    expect(await screen.findByText('No orders yet')).toBeInTheDocument()
    expect(screen.getByText('alice@example.com')).toBeInTheDocument()
    // The session is the httpOnly cookie: the token is not kept anywhere scripts can read.
    expect(JSON.stringify({ ...localStorage })).not.toContain('jwt')
    // A visitor who never signed in is not asked about a session.
    expect(fetch.mock.calls.map(([url]) => url)).not.toContain('/api/me')
  })

  it('shows why a login failed and stays on the page', async () => {
    fakeFetch({ 'POST /api/auth/login': problem(401, 'UNAUTHENTICATED', 'Wrong email or password.') })
    renderApp('/login')

    await logIn('alice@example.com', 'wrong password')

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.')
    expect(screen.getByRole('heading', { name: 'Log in' })).toBeInTheDocument()
  })

  it('registers, then asks to log in', async () => {
    const fetch = fakeFetch({ 'POST /api/auth/register': json(alice, 201) })
    renderApp('/register')

    await userEvent.type(screen.getByLabelText('Email'), 'alice@example.com')
    await userEvent.type(screen.getByLabelText('Password'), 'secret password')
    await userEvent.click(screen.getByRole('button', { name: 'Register' }))

    expect(await screen.findByText('Account created for alice@example.com. Please log in.')).toBeInTheDocument()
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toEqual({
      email: 'alice@example.com',
      password: 'secret password',
    })
  })

  it('shows a taken email', async () => {
    fakeFetch({ 'POST /api/auth/register': problem(409, 'ALREADY_EXISTS', 'That email is already registered.') })
    renderApp('/register')

    await userEvent.type(screen.getByLabelText('Email'), 'alice@example.com')
    await userEvent.type(screen.getByLabelText('Password'), 'secret password')
    await userEvent.click(screen.getByRole('button', { name: 'Register' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('That email is already registered.')
  })

  it('restores the session from the cookie and logs out', async () => {
    signedIn()
    fakeFetch({
      'GET /api/me': alice,
      'GET /api/products': { products: [] },
      'POST /api/auth/logout': new Response(null, { status: 204 }),
    })
    renderApp('/')

    await userEvent.click(await screen.findByRole('button', { name: 'Log out' }))

    expect(await screen.findByRole('link', { name: 'Log in' })).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Orders' })).not.toBeInTheDocument()
    expect(localStorage.getItem('my-store.signed-in')).toBeNull()
  })

  it('sends to /login when the API says the session has ended', async () => {
    signedIn()
    fakeFetch({
      'GET /api/me': alice,
      'GET /api/orders?limit=20': problem(401, 'UNAUTHENTICATED', 'Session expired.'),
    })
    renderApp('/orders')

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Log in' })).toBeInTheDocument()
  })

  it('keeps non-admins off the dashboard without asking the API', async () => {
    signedIn()
    const fetch = fakeFetch({ 'GET /api/me': alice })
    renderApp('/admin')

    expect(await screen.findByText('Admins only')).toBeInTheDocument()
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/me'])
  })
})
