import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'
import { api } from '../api/client'
import type { ReactNode } from 'react'
import type { AnalyticsSummary, TopProduct } from '../api/types'
import { EmptyState, ErrorMessage, Loading } from '../components/Status'
import { card, secondaryButton } from '../components/styles'
import { formatMoney } from '../format'
import { useResource } from '../useResource'

export default function AdminPage() {
  const summary = useResource('analytics', api.analyticsSummary)

  return (
    <>
      <div className="mb-6 flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-bold tracking-tight">Store analytics</h1>
        <button type="button" className={secondaryButton} onClick={summary.reload}>
          Refresh
        </button>
      </div>
      {summary.status === 'loading' && <Loading label="Loading the statistics…" />}
      {summary.status === 'error' && (
        <ErrorMessage title="Could not load the statistics" message={summary.error.message} onRetry={summary.reload} />
      )}
      {summary.status === 'ready' && <Dashboard summary={summary.data} />}
    </>
  )
}

export function Dashboard({ summary }: { summary: AnalyticsSummary }) {
  const currency = summary.revenue.currency
  // Recharts plots plain numbers: revenue stays in minor units and is formatted on the axis.
  const perMinute = summary.ordersOverTime.map((point) => ({
    minute: new Date(point.minute).toLocaleTimeString('en-IE', { hour: '2-digit', minute: '2-digit' }),
    orders: point.orders,
    revenue: point.revenue.amountMinor,
  }))
  const money = (value: unknown) => formatMoney({ amountMinor: Number(value), currency })
  const tick = { fontSize: 12 }

  return (
    <div className="space-y-6">
      <dl className="grid gap-4 sm:grid-cols-3">
        <Stat label="Orders" value={String(summary.orderCount)} testId="order-count" />
        <Stat label="Units sold" value={String(summary.unitsSold)} />
        <Stat label="Revenue" value={formatMoney(summary.revenue)} />
      </dl>

      {summary.orderCount === 0 ? (
        <EmptyState title="No orders yet">The charts appear once the first order is placed.</EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <ChartCard title="Orders per minute">
            <BarChart responsive data={perMinute} style={{ width: '100%', height: 240 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="minute" tick={tick} />
              <YAxis allowDecimals={false} width="auto" tick={tick} />
              <Tooltip />
              <Bar dataKey="orders" name="Orders" fill="#4f46e5" maxBarSize={48} />
            </BarChart>
          </ChartCard>
          <ChartCard title="Revenue per minute">
            <LineChart responsive data={perMinute} style={{ width: '100%', height: 240 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="minute" tick={tick} />
              <YAxis width="auto" tickFormatter={money} tick={tick} />
              <Tooltip formatter={money} />
              <Line type="monotone" dataKey="revenue" name="Revenue" stroke="#16a34a" strokeWidth={2} dot={{ r: 3 }} />
            </LineChart>
          </ChartCard>
          <ChartCard title="Top products by units" className="lg:col-span-2">
            <BarChart
              responsive
              layout="vertical"
              data={summary.topProducts}
              style={{ width: '100%', height: Math.max(160, 40 * summary.topProducts.length) }}
            >
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} tick={tick} />
              <YAxis type="category" dataKey="productName" width="auto" tick={tick} />
              <Tooltip />
              <Bar dataKey="units" name="Units" fill="#0ea5e9" />
            </BarChart>
            <TopProductsTable products={summary.topProducts} />
          </ChartCard>
        </div>
      )}
    </div>
  )
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className={card}>
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd data-testid={testId} className="mt-1 text-2xl font-semibold">
        {value}
      </dd>
    </div>
  )
}

function ChartCard({ title, className = '', children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <section className={`${card} ${className}`} aria-label={title}>
      <h2 className="mb-4 font-semibold">{title}</h2>
      {children}
    </section>
  )
}

function TopProductsTable({ products }: { products: TopProduct[] }) {
  return (
    <table className="mt-4 w-full text-left text-sm">
      <caption className="sr-only">Top products</caption>
      <thead className="text-slate-600">
        <tr>
          <th scope="col" className="py-1 font-medium">Product</th>
          <th scope="col" className="py-1 text-right font-medium">Units</th>
          <th scope="col" className="py-1 text-right font-medium">Revenue</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-200">
        {products.map((product) => (
          <tr key={product.productId}>
            <td className="py-1">{product.productName}</td>
            <td className="py-1 text-right">{product.units}</td>
            <td className="py-1 text-right">{formatMoney(product.revenue)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
