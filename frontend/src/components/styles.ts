// Shared Tailwind class lists for the few elements that repeat on every page.
const focus = 'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'

export const primaryButton = `inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-50 ${focus}`
export const secondaryButton = `inline-flex items-center justify-center rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-900 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50 ${focus}`
export const link = `font-medium text-indigo-700 underline-offset-2 hover:underline ${focus}`
export const input = 'block w-full rounded-md border-0 px-3 py-2 text-slate-900 ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none'
export const card = 'rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200'
export const pageTitle = 'mb-6 text-2xl font-bold tracking-tight'
