// The shipping address at checkout: the countries the store ships to, the last
// address used (offered again), and the API's field names for its problems.
// The rules themselves are the server's (functions/mystore_kit/addresses.py);
// the form only checks what is required, and shows the server's answer next to
// the field it names.
import type { ShippingAddress } from './api/types'

/** ISO 3166-1 alpha-2, all 249 codes (tests/edges/bff/test_storefront_countries.py keeps it equal to the server's). */
export const COUNTRY_CODES = `
  AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
  BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
  EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
  HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
  LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
  NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
  SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
  TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
`
  .trim()
  .split(/\s+/)

/** Countries whose addresses need a state, province or territory. */
export const REGION_REQUIRED = ['US', 'CA', 'AU']

/** Countries whose postal codes the server checks for shape, and requires. */
export const POSTAL_CODE_REQUIRED = [
  'AT', 'AU', 'BE', 'CA', 'CH', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB', 'IT', 'JP', 'LU', 'NL', 'NO', 'PL', 'PT', 'SE', 'US',
]

export const DEFAULT_COUNTRY = 'DE'

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' })
  } catch {
    return null
  }
})()

/** "Germany" for DE (the code itself where the browser has no name for it). */
export function countryName(code: string): string {
  try {
    return regionNames?.of(code) ?? code
  } catch {
    return code
  }
}

/** Every country as [code, name], by name. */
export function countryOptions(): [string, string][] {
  return COUNTRY_CODES.map((code): [string, string] => [code, countryName(code)]).sort((a, b) =>
    a[1].localeCompare(b[1], 'en'),
  )
}

export type AddressField = keyof ShippingAddress

export const ADDRESS_FIELDS: AddressField[] = [
  'recipientName',
  'line1',
  'line2',
  'city',
  'postalCode',
  'region',
  'country',
  'phone',
]

export function emptyAddress(): ShippingAddress {
  return { recipientName: '', line1: '', line2: '', city: '', postalCode: '', region: '', country: DEFAULT_COUNTRY, phone: '' }
}

/** The fields the form requires before it asks the server (which checks everything else). */
export function missingFields(address: ShippingAddress): AddressField[] {
  const required: AddressField[] = ['recipientName', 'line1', 'city', 'country']
  if (REGION_REQUIRED.includes(address.country)) required.push('region')
  if (POSTAL_CODE_REQUIRED.includes(address.country)) required.push('postalCode')
  return required.filter((field) => address[field].trim() === '')
}

/** `shippingAddress.postalCode` (a problem's `field`) → `postalCode`; null for anything else. */
export function addressFieldOf(path: string | undefined): AddressField | null {
  const field = path?.startsWith('shippingAddress.') ? path.slice('shippingAddress.'.length) : ''
  return (ADDRESS_FIELDS as string[]).includes(field) ? (field as AddressField) : null
}

// The last address an order was placed to, per user, in this browser only.
const storageKey = (userId: string) => `my-store.address.${userId}`

export function lastAddress(userId: string): ShippingAddress | null {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null') as Partial<ShippingAddress> | null
    if (!saved || typeof saved !== 'object') return null
    const address = emptyAddress()
    for (const field of ADDRESS_FIELDS) if (typeof saved[field] === 'string') address[field] = saved[field]
    return address
  } catch {
    return null
  }
}

export function rememberAddress(userId: string, address: ShippingAddress): void {
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(address))
  } catch {
    // storage full or disabled: the form simply starts empty next time
  }
}

/** The lines of an address as a label shows them. */
export function addressLines(address: ShippingAddress): string[] {
  const place = [address.postalCode, address.city].filter(Boolean).join(' ')
  return [
    address.recipientName,
    address.line1,
    address.line2,
    [place, address.region].filter(Boolean).join(', '),
    countryName(address.country),
  ].filter(Boolean)
}
