import { Link, useLocation, useNavigate } from 'react-router'
import { api } from '../api/client'
import CredentialsForm from '../components/CredentialsForm'
import { card, link, pageTitle } from '../components/styles'

export default function RegisterPage() {
  const navigate = useNavigate()
  const location = useLocation()
  // Keep `from` so that logging in afterwards still returns to the page that asked for it.
  const from = (location.state as { from?: string } | null)?.from

  return (
    <div className="mx-auto max-w-sm">
      <h1 className={pageTitle}>Create an account</h1>
      <div className={card}>
        <CredentialsForm
          submitLabel="Register"
          newPassword
          onSubmit={async (credentials) => {
            const user = await api.register(credentials)
            navigate('/login', { state: { from, registered: user.email } })
          }}
        />
      </div>
      <p className="mt-4 text-sm text-slate-600">
        Already registered?{' '}
        <Link to="/login" state={location.state} className={link}>
          Log in
        </Link>
      </p>
    </div>
  )
}
