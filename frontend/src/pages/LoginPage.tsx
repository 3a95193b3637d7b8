import { Link, useLocation, useNavigate } from 'react-router'
import { useAuth } from '../auth'
import CredentialsForm from '../components/CredentialsForm'
import { card, link, pageTitle } from '../components/styles'

/** Where to go after login: the page that sent us here (RequireAuth puts it in the state). */
export function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login') ? from : '/'
}

export default function LoginPage() {
  const { login } = useAuth()
  const navigate = useNavigate()
  const location = useLocation()
  const registered = (location.state as { registered?: string } | null)?.registered

  return (
    <div className="mx-auto max-w-sm">
      <h1 className={pageTitle}>Log in</h1>
      {registered && (
        <p role="status" className="mb-4 rounded-md bg-green-50 p-3 text-sm text-green-800 ring-1 ring-green-200">
          Account created for {registered}. Please log in.
        </p>
      )}
      <div className={card}>
        <CredentialsForm
          submitLabel="Log in"
          onSubmit={async (credentials) => {
            await login(credentials)
            navigate(returnPath(location.state), { replace: true })
          }}
        />
      </div>
      <p className="mt-4 text-sm text-slate-600">
        New here?{' '}
        <Link to="/register" state={location.state} className={link}>
          Create an account
        </Link>
      </p>
    </div>
  )
}
