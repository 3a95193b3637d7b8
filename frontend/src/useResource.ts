import { useCallback, useEffect, useEffectEvent, useState } from 'react'

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'ready'; data: T }

/**
 * Loads data for a page: runs `load` when `key` changes, ignores answers that
 * arrive after the page moved on, and offers `reload` for a retry button.
 */
export function useResource<T>(key: string, load: () => Promise<T>): Resource<T> & { reload: () => void } {
  const [state, setState] = useState<{ key: string; attempt: number; resource: Resource<T> } | null>(null)
  const [attempt, setAttempt] = useState(0)
  const runLoad = useEffectEvent(load)

  useEffect(() => {
    let current = true
    runLoad().then(
      (data) => current && setState({ key, attempt, resource: { status: 'ready', data } }),
      (error: unknown) =>
        current && setState({ key, attempt, resource: { status: 'error', error: toError(error) } }),
    )
    return () => {
      current = false
    }
  }, [key, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  const fresh = state !== null && state.key === key && state.attempt === attempt
  return { ...(fresh ? state.resource : { status: 'loading' }), reload }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
