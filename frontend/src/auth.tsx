import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { api, ApiError, setUnauthorizedHandler } from './api/client'
import type { Credentials, User } from './api/types'
import { ErrorMessage, Loading } from './components/Status'

// Not a secret: it only records that this browser signed in, so a visitor who
// never did is not greeted with a 401 from GET /api/me. The session itself is
// the httpOnly cookie, which scripts cannot read.
const SIGNED_IN = 'my-store.signed-in'

interface Auth {
  user: User | null
  /** false until we know whether the session cookie is still valid */
  ready: boolean
  login: (credentials: Credentials) => Promise<User>
  logout: () => Promise<void>
}

const AuthContext = createContext<Auth | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null)
  const [ready, setReady] = useState(() => localStorage.getItem(SIGNED_IN) === null)

  useEffect(() => {
    if (localStorage.getItem(SIGNED_IN) === null) return
    let current = true
    api
      .me()
      .then(
        (me) => current && setUser(me),
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 401) localStorage.removeItem(SIGNED_IN)
        },
      )
      .finally(() => current && setReady(true))
    return () => {
      current = false
    }
  }, [])

  // A 401 on any request that needed the session: forget the user, and
  // <RequireAuth> sends them to /login and back here afterwards.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      localStorage.removeItem(SIGNED_IN)
      setUser(null)
    })
    return () => setUnauthorizedHandler(null)
  }, [])

  async function login(credentials: Credentials) {
    const { user } = await api.login(credentials)
    localStorage.setItem(SIGNED_IN, '1')
    setUser(user)
    return user
  }

  async function logout() {
    try {
      await api.logout()
    } finally {
      localStorage.removeItem(SIGNED_IN)
      setUser(null)
    }
  }

  return <AuthContext value={{ user, ready, login, logout }}>{children}</AuthContext>
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext)
  if (!auth) throw new Error('useAuth must be used inside <AuthProvider>')
  return auth
}

/** Renders its children for a signed-in user (an admin if `admin`); otherwise sends to /login. */
export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { user, ready } = useAuth()
  const location = useLocation()
  if (!ready) return <Loading />
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
  if (admin && !user.isAdmin) return <ErrorMessage title="Admins only" message="This page is for store admins." />
  return children
}
