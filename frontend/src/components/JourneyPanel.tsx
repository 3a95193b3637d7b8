import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { JourneyStep, JourneyStepName, OrderJourney, OrderStatus } from '../api/types'
import { formatClock, formatMilliseconds } from '../format'
import { ErrorMessage } from './Status'
import { card, link } from './styles'

/** How often the journey is read again while a step is still pending, and for how long at most. */
export const POLL_MS = 1000
export const MAX_POLLS = 120

const LABELS: Record<JourneyStepName, { title: string; where: string }> = {
  placed: { title: 'Order placed', where: 'order-create stored it with its OrderCreated event (outbox)' },
  published: { title: 'Event published', where: 'OrderCreated left the outbox for the orders topic' },
  shipping: { title: 'Delivered to shipping', where: 'shipping-on-order-created applied OrderCreated' },
  notification: { title: 'Delivered to notification', where: 'notification-on-order-created sent the email' },
  analytics: { title: 'Delivered to analytics', where: 'analytics-on-order-created counted the order' },
  shipment: { title: 'Shipment created', where: 'shipping stored the shipment and its ShipmentCreated' },
  shipped: { title: 'Shipped', where: 'order-on-shipment-created made the order SHIPPED' },
}

/**
 * Each step of the order's way through the store, with its time and how long after "placed" it
 * came. Reads the journey again whenever the live status changes, and every POLL_MS until every
 * step has its time (MAX_POLLS at most).
 */
export default function JourneyPanel({ orderId, status }: { orderId: string; status: OrderStatus }) {
  const [journey, setJourney] = useState<OrderJourney | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let polls = 0
    const load = async () => {
      try {
        const next = await api.getJourney(orderId)
        if (stopped) return
        setJourney(next)
        setError(null)
        polls += 1
        if (!next.complete && polls < MAX_POLLS) timer = setTimeout(load, POLL_MS)
      } catch (failure) {
        if (!stopped) setError(failure instanceof Error ? failure.message : String(failure))
      }
    }
    void load()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [orderId, status, attempt])

  return (
    <section
      aria-labelledby="journey-heading"
      data-testid="journey"
      data-complete={journey?.complete ? 'true' : 'false'}
      className={`${card} md:col-span-2`}
    >
      <h2 id="journey-heading" className="mb-1 font-semibold">
        Journey
      </h2>
      <p className="mb-4 text-sm text-slate-600">Where the order went through the store, and when.</p>
      {error && !journey && (
        <ErrorMessage title="Could not load the journey" message={error} onRetry={() => setAttempt((n) => n + 1)} />
      )}
      {journey && <Steps steps={journey.steps} />}
      {journey && <TraceLink journey={journey} />}
    </section>
  )
}

function Steps({ steps }: { steps: JourneyStep[] }) {
  const longest = Math.max(1, ...steps.map((step) => step.afterMs ?? 0))
  return (
    <ol className="space-y-3">
      {steps.map((step) => {
        const reached = step.at !== null
        const label = LABELS[step.step]
        return (
          <li key={step.step} data-testid="journey-step" data-step={step.step} data-reached={String(reached)}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-4">
              <p className={`font-medium ${reached ? '' : 'text-slate-600'}`}>{label.title}</p>
              {reached ? (
                <p className="font-mono text-sm">
                  <time dateTime={step.at!}>{formatClock(step.at!)}</time>{' '}
                  <span data-testid="journey-after" className="text-slate-600">
                    +{formatMilliseconds(step.afterMs ?? 0)}
                  </span>
                </p>
              ) : (
                <p className="text-sm text-slate-600">pending…</p>
              )}
            </div>
            <p className="text-xs text-slate-600">{label.where}</p>
            <div aria-hidden="true" className="mt-1 h-1.5 rounded-full bg-slate-100">
              <div
                className={`h-1.5 rounded-full ${reached ? 'bg-indigo-500' : ''}`}
                style={{ width: reached ? `${Math.max(1, ((step.afterMs ?? 0) / longest) * 100)}%` : '0%' }}
              />
            </div>
          </li>
        )
      })}
    </ol>
  )
}

function TraceLink({ journey }: { journey: OrderJourney }) {
  if (journey.traceUrl)
    return (
      <p className="mt-4 text-sm">
        <a href={journey.traceUrl} target="_blank" rel="noreferrer" className={link}>
          Open the order's trace
        </a>{' '}
        <span className="text-slate-600">(every span from the click to SHIPPED)</span>
      </p>
    )
  if (journey.traceId)
    return (
      <p className="mt-4 text-sm text-slate-600">
        Trace id <span className="font-mono">{journey.traceId}</span>
      </p>
    )
  return (
    <p className="mt-4 text-sm text-slate-600">
      Tracing is off: with <code>./scripts/dev --tracing</code> this links to the order's trace.
    </p>
  )
}
