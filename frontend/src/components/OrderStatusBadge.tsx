import type { OrderStatus } from '../api/types'

const styles: Record<OrderStatus, string> = {
  PENDING: 'bg-amber-50 text-amber-800 ring-amber-200',
  SHIPPED: 'bg-green-50 text-green-800 ring-green-200',
}

export default function OrderStatusBadge({ status, testId }: { status: OrderStatus; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${styles[status]}`}
    >
      {status === 'PENDING' ? 'Pending' : 'Shipped'}
    </span>
  )
}
