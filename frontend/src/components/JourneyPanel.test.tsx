import { act, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JourneyStepName, OrderJourney } from '../api/types'
import { fakeFetch, problem } from '../test/fakes'
import JourneyPanel, { POLL_MS } from './JourneyPanel'

const ORDER = '0b7e9f3c-1111-4222-8333-444455556666'
const URL = `GET /api/orders/${ORDER}/journey`
const NAMES: JourneyStepName[] = ['placed', 'published', 'shipping', 'notification', 'analytics', 'shipment', 'shipped']
const PLACED = Date.parse('2025-03-01T12:00:00Z')

/** A journey whose first `reached` steps came `afterMs[i]` ms after placed. */
function journey(afterMs: number[], extra: Partial<OrderJourney> = {}): OrderJourney {
  const steps = NAMES.map((step, index) => {
    const after = afterMs[index]
    return after === undefined
      ? { step, at: null, afterMs: null }
      : { step, at: new Date(PLACED + after).toISOString(), afterMs: after }
  })
  return {
    orderId: ORDER,
    status: afterMs.length === NAMES.length ? 'SHIPPED' : 'PENDING',
    steps,
    complete: afterMs.length === NAMES.length,
    traceId: null,
    traceUrl: null,
    ...extra,
  }
}

function reached() {
  return screen.getAllByTestId('journey-step').map((item) => [item.dataset.step, item.dataset.reached === 'true'])
}

async function tick(ms = POLL_MS) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms)
  })
}

describe('journey panel', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('shows every step, the pending ones as pending, and polls until all are done, then stops', async () => {
    const answers = [journey([0, 4.2]), journey([0, 4.2, 6, 7.5, 9]), journey([0, 4.2, 6, 7.5, 9, 6.1, 31.4])]
    const fetch = fakeFetch({ [URL]: () => answers.shift() ?? journey([0, 4.2, 6, 7.5, 9, 6.1, 31.4]) })
    render(<JourneyPanel orderId={ORDER} status="PENDING" />)
    await tick(0)

    expect(reached()).toEqual(NAMES.map((name) => [name, name === 'placed' || name === 'published']))
    expect(screen.getAllByText('pending…')).toHaveLength(5)
    const published = screen.getAllByTestId('journey-step')[1]!
    expect(within(published).getByText('Event published')).toBeInTheDocument()
    expect(within(published).getByTestId('journey-after')).toHaveTextContent('+4.2 ms')

    await tick()
    expect(reached().filter(([, done]) => done)).toHaveLength(5)
    await tick()
    expect(reached().every(([, done]) => done)).toBe(true)
    expect(screen.getByTestId('journey')).toHaveAttribute('data-complete', 'true')
    expect(screen.getAllByTestId('journey-after').at(-1)).toHaveTextContent('+31.4 ms')

    const calls = fetch.mock.calls.length
    await tick(POLL_MS * 5)
    expect(fetch.mock.calls.length).toBe(calls) // complete: no more polling
  })

  it('reads the journey again as soon as the live status changes', async () => {
    const fetch = fakeFetch({ [URL]: () => journey([0, 3, 4, 5, 6, 4.5, 20]) })
    const { rerender } = render(<JourneyPanel orderId={ORDER} status="PENDING" />)
    await tick(0)
    expect(fetch).toHaveBeenCalledTimes(1)
    rerender(<JourneyPanel orderId={ORDER} status="SHIPPED" />)
    await tick(0)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('links to the trace when the store knows the trace UI, and says tracing is off without one', async () => {
    const traceUrl = 'http://127.0.0.1:9411/zipkin/traces/4bf92f3577b34da6a3ce929d0e0e4736'
    fakeFetch({ [URL]: journey([0, 1, 2, 3, 4, 2.5, 9], { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', traceUrl }) })
    const { unmount } = render(<JourneyPanel orderId={ORDER} status="SHIPPED" />)
    await tick(0)
    expect(screen.getByRole('link', { name: "Open the order's trace" })).toHaveAttribute('href', traceUrl)
    unmount()

    fakeFetch({ [URL]: journey([0]) })
    render(<JourneyPanel orderId={ORDER} status="PENDING" />)
    await tick(0)
    expect(screen.queryByRole('link')).not.toBeInTheDocument()
    expect(screen.getByText(/Tracing is off/)).toBeInTheDocument()
  })

  it('offers a retry when the journey cannot be read', async () => {
    const fetch = fakeFetch({ [URL]: problem(503, 'UNAVAILABLE', 'notification-get is not reachable') })
    render(<JourneyPanel orderId={ORDER} status="PENDING" />)
    await tick(0)
    expect(screen.getByRole('alert')).toHaveTextContent('notification-get is not reachable')
    await tick(POLL_MS * 3)
    expect(fetch).toHaveBeenCalledTimes(1) // no polling of a failing read
    fakeFetch({ [URL]: journey([0]) })
    await act(async () => screen.getByRole('button', { name: 'Try again' }).click())
    await tick(0)
    expect(reached()[0]).toEqual(['placed', true])
  })
})
