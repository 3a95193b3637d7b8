import type { ReactNode } from 'react'
import type { ShippingAddress } from '../api/types'
import { countryOptions, POSTAL_CODE_REQUIRED, REGION_REQUIRED, type AddressField } from '../address'
import { input } from './styles'

const COUNTRIES = countryOptions()

export type AddressErrors = Partial<Record<AddressField, string>>

/** The label of each field, as the form shows it and as its error messages name it. */
export function fieldLabel(field: AddressField, country: string): string {
  const labels: Record<AddressField, string> = {
    recipientName: 'Full name',
    line1: 'Street and number',
    line2: 'Apartment, floor, c/o',
    city: 'City',
    postalCode: 'Postal code',
    region: REGION_REQUIRED.includes(country) ? 'State, province or territory' : 'Region',
    country: 'Country',
    phone: 'Phone',
  }
  return labels[field]
}

/**
 * The shipping address fields, labelled and with the autocomplete tokens that
 * let browsers fill them in. `errors` are shown under their field, which is then
 * marked invalid for assistive technology.
 */
export default function AddressForm({
  address,
  errors,
  onChange,
}: {
  address: ShippingAddress
  errors: AddressErrors
  onChange: (address: ShippingAddress) => void
}) {
  const regionRequired = REGION_REQUIRED.includes(address.country)
  const field = (name: AddressField) => ({
    name,
    value: address[name],
    error: errors[name],
    label: fieldLabel(name, address.country),
    onChange: (value: string) => onChange({ ...address, [name]: value }),
  })

  return (
    <fieldset className="grid gap-4 sm:grid-cols-6">
      <legend className="mb-2 font-semibold">Shipping address</legend>
      <TextField {...field('recipientName')} required autoComplete="shipping name" maxLength={100} span={6} />
      <TextField {...field('line1')} required autoComplete="shipping address-line1" maxLength={100} span={6} />
      <TextField {...field('line2')} autoComplete="shipping address-line2" maxLength={100} span={6} />
      <TextField
        {...field('postalCode')}
        required={POSTAL_CODE_REQUIRED.includes(address.country)}
        autoComplete="shipping postal-code"
        maxLength={12}
        span={2}
      />
      <TextField {...field('city')} required autoComplete="shipping address-level2" maxLength={80} span={4} />
      <TextField
        {...field('region')}
        required={regionRequired}
        autoComplete="shipping address-level1"
        maxLength={80}
        span={3}
      />
      <Field {...field('country')} required span={3}>
        {(props) => (
          <select {...props} autoComplete="shipping country" className={input}>
            {COUNTRIES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField
        {...field('phone')}
        type="tel"
        autoComplete="shipping tel"
        maxLength={32}
        span={6}
        hint="For the carrier, if they need to reach you."
      />
    </fieldset>
  )
}

interface FieldProps {
  name: AddressField
  label: string
  value: string
  error?: string
  required?: boolean
  hint?: string
  span: 2 | 3 | 4 | 6
  onChange: (value: string) => void
}

const spans = { 2: 'sm:col-span-2', 3: 'sm:col-span-3', 4: 'sm:col-span-4', 6: 'sm:col-span-6' }

/** A label, the control `children` renders with the props that tie it to its label, hint and error. */
function Field({
  name,
  label,
  value,
  error,
  required = false,
  hint,
  span,
  onChange,
  children,
}: FieldProps & {
  children: (props: {
    id: string
    name: string
    value: string
    required: boolean
    'aria-invalid': boolean
    'aria-describedby': string | undefined
    onChange: (event: { target: { value: string } }) => void
  }) => ReactNode
}) {
  const id = `address-${name}`
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
  return (
    <div className={spans[span]}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
        {!required && <span className="font-normal text-slate-600"> (optional)</span>}
      </label>
      {children({
        id,
        name,
        value,
        required,
        'aria-invalid': Boolean(error),
        'aria-describedby': described,
        onChange: (event) => onChange(event.target.value),
      })}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} data-testid={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  )
}

function TextField({
  type = 'text',
  autoComplete,
  maxLength,
  ...props
}: FieldProps & { type?: 'text' | 'tel'; autoComplete: string; maxLength: number }) {
  return (
    <Field {...props}>
      {(control) => (
        <input
          {...control}
          type={type}
          autoComplete={autoComplete}
          maxLength={maxLength}
          className={`${input} ${props.error ? 'ring-red-500' : ''}`}
        />
      )}
    </Field>
  )
}
