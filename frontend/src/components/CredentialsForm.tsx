import { useState, type FormEvent } from 'react'
import type { Credentials } from '../api/types'
import { ErrorMessage } from './Status'
import { input, primaryButton } from './styles'

/** The email + password form shared by the login and register pages. */
export default function CredentialsForm({
  submitLabel,
  newPassword = false,
  onSubmit,
}: {
  submitLabel: string
  /** true on register: asks the browser for a new password and shows the rules */
  newPassword?: boolean
  onSubmit: (credentials: Credentials) => Promise<void>
}) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await onSubmit({ email, password })
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <div>
        <label htmlFor="email" className="mb-1 block text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          className={input}
        />
      </div>
      <div>
        <label htmlFor="password" className="mb-1 block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          type="password"
          autoComplete={newPassword ? 'new-password' : 'current-password'}
          required
          minLength={newPassword ? 8 : undefined}
          aria-describedby={newPassword ? 'password-rules' : undefined}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          className={input}
        />
        {newPassword && (
          <p id="password-rules" className="mt-1 text-xs text-slate-600">
            At least 8 characters, at most 72 bytes.
          </p>
        )}
      </div>
      {error && <ErrorMessage title="Could not continue" message={error} />}
      <button type="submit" disabled={busy} className={`${primaryButton} w-full`}>
        {busy ? 'Please wait…' : submitLabel}
      </button>
    </form>
  )
}
