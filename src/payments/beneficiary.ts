import {
  electronicFormatIBAN,
  extractBIC,
  getCountrySpecifications,
  ValidationErrorsBIC,
  ValidationErrorsIBAN,
  validateBIC,
  validateIBAN,
} from 'ibantools'

/**
 * Issue 13 beneficiary validation (SPEC §11), pure: the beneficiary of a
 * payout is checked field by field, every problem reported at once, so a
 * partner fixes a form in one round trip. IBAN (ISO 13616: country, length,
 * BBAN format, mod-97 checksum) and BIC (ISO 9362: format, country) are
 * checked by `ibantools`; the Phase 1 countries' local account formats are
 * ours and listed in LOCAL_FORMATS (the README shows them).
 *
 * Input is normalised the way payment forms are typed: an IBAN or BIC in
 * lower case or with spaces is accepted and shown back in electronic
 * format (upper case, no spaces) in `normalized`.
 */
export const RAILS = ['BANK_TRANSFER', 'E_WALLET', 'CARD'] as const
export type Rail = (typeof RAILS)[number]

export type BeneficiaryInput = {
  readonly name?: unknown
  readonly country?: unknown
  readonly iban?: unknown
  readonly account_number?: unknown
  readonly bic?: unknown
  readonly bank_name?: unknown
  readonly address?: unknown
  readonly wallet_provider?: unknown
  readonly wallet_id?: unknown
  readonly card_token?: unknown
}

/** The beneficiary as stored and relayed: only the fields its rail uses, normalised. */
export type Beneficiary = {
  readonly name: string
  readonly country: string
  readonly iban?: string
  readonly account_number?: string
  readonly bic?: string
  readonly bank_name?: string
  readonly address?: string
  readonly wallet_provider?: string
  readonly wallet_id?: string
  readonly card_token?: string
}

export type FieldError = { readonly field: string; readonly code: string; readonly message: string }

export type BeneficiaryCheck =
  | { readonly valid: true; readonly errors: readonly []; readonly beneficiary: Beneficiary }
  | { readonly valid: false; readonly errors: readonly FieldError[] }

/** ISO 20022 Max140Text: names and addresses on a pacs.008 are at most 140 characters. */
const MAX_TEXT = 140

/** ISO 3166-1 alpha-2 codes and which of them issue IBANs, as ibantools knows them (read once). */
const COUNTRY_SPECS = getCountrySpecifications()
const COUNTRIES: ReadonlySet<string> = new Set(Object.keys(COUNTRY_SPECS))

type LocalFormat = { readonly pattern: RegExp; readonly described: string }

/**
 * [ours] Account numbers of the Phase 1 countries' bank rails: digits only,
 * the lengths their banks issue. Indonesia (BI-FAST / SKN): BCA and BNI 10,
 * Mandiri 13, BRI 15, others up to 16. Singapore (FAST / GIRO): DBS, OCBC,
 * UOB 10, POSB 9, OCBC 12. Malaysia (IBG / DuitNow account): Maybank 12,
 * CIMB 10 or 14, Public Bank 10, others up to 16.
 */
export const LOCAL_ACCOUNT_FORMATS: Readonly<Record<string, LocalFormat>> = {
  ID: { pattern: /^[0-9]{10,16}$/, described: '10 to 16 digits (BI-FAST / SKN)' },
  SG: { pattern: /^[0-9]{9,12}$/, described: '9 to 12 digits (FAST / GIRO)' },
  MY: { pattern: /^[0-9]{10,16}$/, described: '10 to 16 digits (IBG / DuitNow)' },
}

/** Other countries without IBAN: an account number of letters and digits, as BBANs are (ISO 13616 max 30). */
const GENERIC_ACCOUNT: LocalFormat = { pattern: /^[0-9A-Z]{4,30}$/, described: '4 to 30 letters or digits' }

const ID_MOBILE: LocalFormat = {
  pattern: /^(\+62|62|0)8[1-9][0-9]{7,10}$/,
  described: 'an Indonesian mobile number (08…, 628… or +628…, 10 to 13 digits)',
}
const MY_MOBILE: LocalFormat = {
  pattern: /^(\+?60|0)1[0-9]{8,9}$/,
  described: 'a Malaysian mobile number (01…, 601… or +601…)',
}

/**
 * [ours] E-wallet providers and their wallet ids per country. PayNow (SG)
 * and DuitNow (MY) are proxy rails: the id is a mobile number, a national
 * id (NRIC/FIN, MyKad) or a business registration number (UEN, SSM).
 */
export const WALLET_PROVIDERS: Readonly<Record<string, Readonly<Record<string, readonly LocalFormat[]>>>> = {
  ID: {
    GOPAY: [ID_MOBILE],
    OVO: [ID_MOBILE],
    DANA: [ID_MOBILE],
    SHOPEEPAY: [ID_MOBILE],
    LINKAJA: [ID_MOBILE],
  },
  SG: {
    PAYNOW: [
      {
        pattern: /^(\+65)?[89][0-9]{7}$/,
        described: 'a Singapore mobile number (8 digits from 8 or 9, +65 optional)',
      },
      { pattern: /^[STFGM][0-9]{7}[A-Z]$/, described: 'an NRIC/FIN (S1234567D)' },
      {
        pattern: /^([0-9]{8,9}[A-Z]|[RST][0-9]{2}[A-Z]{2}[0-9]{4}[A-Z])$/,
        described: 'a UEN (53312345K, T09LL0001B)',
      },
    ],
  },
  MY: {
    DUITNOW: [
      MY_MOBILE,
      { pattern: /^[0-9]{12}$/, described: 'a MyKad number (12 digits) or a 12-digit SSM number' },
    ],
    TNG: [MY_MOBILE],
    GRABPAY: [MY_MOBILE],
    BOOST: [MY_MOBILE],
  },
}

/** A payout card is named by the off-ramp's vault token; a card number (PAN) never enters stablefx. */
const CARD_TOKEN = /^[A-Za-z0-9_-]{8,64}$/

const IBAN_MESSAGES: Readonly<Record<number, { code: string; message: string }>> = {
  [ValidationErrorsIBAN.NoIBANProvided]: { code: 'REQUIRED', message: 'iban is required' },
  [ValidationErrorsIBAN.NoIBANCountry]: {
    code: 'IBAN_COUNTRY',
    message: 'the IBAN does not start with a country that issues IBANs',
  },
  [ValidationErrorsIBAN.WrongBBANLength]: {
    code: 'IBAN_LENGTH',
    message: 'the IBAN has the wrong length for its country',
  },
  [ValidationErrorsIBAN.WrongBBANFormat]: {
    code: 'IBAN_FORMAT',
    message: 'the account part of the IBAN has the wrong format for its country',
  },
  [ValidationErrorsIBAN.ChecksumNotNumber]: {
    code: 'IBAN_FORMAT',
    message: 'the IBAN check digits are not digits',
  },
  [ValidationErrorsIBAN.WrongIBANChecksum]: {
    code: 'IBAN_CHECKSUM',
    message: 'the IBAN check digits are wrong (mod-97)',
  },
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: {
    code: 'IBAN_CHECKSUM',
    message: 'the national check digits inside the IBAN are wrong',
  },
  [ValidationErrorsIBAN.QRIBANNotAllowed]: {
    code: 'IBAN_FORMAT',
    message: 'a QR-IBAN is not a payout account',
  },
}

const BIC_MESSAGES: Readonly<Record<number, { code: string; message: string }>> = {
  [ValidationErrorsBIC.NoBICProvided]: { code: 'REQUIRED', message: 'bic is required' },
  [ValidationErrorsBIC.NoBICCountry]: {
    code: 'BIC_COUNTRY',
    message: 'the BIC names no known country (letters 5 and 6)',
  },
  [ValidationErrorsBIC.WrongBICFormat]: {
    code: 'BIC_FORMAT',
    message: 'a BIC is 4 letters, 2 letters of country, 2 letters or digits, and optionally 3 more',
  },
}

/** Upper case without spaces: the electronic format of IBANs, BICs and account numbers. */
function compact(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase()
}

type Checker = { errors: FieldError[]; out: Record<string, string> }

function text(c: Checker, input: BeneficiaryInput, field: keyof BeneficiaryInput, required: boolean) {
  const value = input[field]
  if (value === undefined || value === null) {
    if (required) c.errors.push({ field, code: 'REQUIRED', message: `${field} is required` })
    return undefined
  }
  if (typeof value !== 'string' || value.trim() === '') {
    c.errors.push({ field, code: 'INVALID', message: `${field} must be a non-empty string` })
    return undefined
  }
  if (value.length > MAX_TEXT) {
    c.errors.push({ field, code: 'TOO_LONG', message: `${field} is at most ${MAX_TEXT} characters` })
    return undefined
  }
  return value.trim()
}

function checkIban(c: Checker, raw: string, country: string | undefined) {
  const iban = electronicFormatIBAN(raw) ?? ''
  const result = validateIBAN(iban)
  // The first finding only: a wrong length also fails the format and the checksum, which would say nothing new.
  const first = result.errorCodes[0]
  if (first !== undefined) {
    const known = IBAN_MESSAGES[first] ?? { code: 'IBAN_FORMAT', message: 'the IBAN is not valid' }
    c.errors.push({ field: 'iban', ...known })
  }
  if (result.valid && country !== undefined && iban.slice(0, 2) !== country) {
    c.errors.push({
      field: 'iban',
      code: 'IBAN_COUNTRY_MISMATCH',
      message: `the IBAN is from ${iban.slice(0, 2)}, the beneficiary's country is ${country}`,
    })
  }
  if (result.valid) c.out.iban = iban
}

function checkBic(c: Checker, raw: string, country: string | undefined) {
  const bic = compact(raw)
  const result = validateBIC(bic)
  for (const code of result.errorCodes) {
    const known = BIC_MESSAGES[code] ?? { code: 'BIC_FORMAT', message: 'the BIC is not valid' }
    c.errors.push({ field: 'bic', ...known })
  }
  if (!result.valid) return
  const bicCountry = extractBIC(bic).countryCode
  if (country !== undefined && bicCountry !== country) {
    c.errors.push({
      field: 'bic',
      code: 'BIC_COUNTRY_MISMATCH',
      message: `the BIC is of a bank in ${bicCountry}, the beneficiary's country is ${country}`,
    })
    return
  }
  c.out.bic = bic
}

function checkBankTransfer(c: Checker, input: BeneficiaryInput, country: string | undefined) {
  const iban = text(c, input, 'iban', false)
  const account = text(c, input, 'account_number', false)
  const bic = text(c, input, 'bic', false)
  const bank = text(c, input, 'bank_name', false)
  if (bank !== undefined) c.out.bank_name = bank
  const address = text(c, input, 'address', false)
  if (address !== undefined) c.out.address = address
  if (bic !== undefined) checkBic(c, bic, country)
  if (iban !== undefined && account !== undefined) {
    c.errors.push({
      field: 'account_number',
      code: 'CONFLICT',
      message: 'give iban or account_number, not both',
    })
    return
  }
  if (iban !== undefined) return checkIban(c, iban, country)
  const usesIban = country !== undefined && COUNTRY_SPECS[country]?.IBANRegistry === true
  if (account === undefined) {
    const field = usesIban ? 'iban' : 'account_number'
    c.errors.push({
      field,
      code: 'REQUIRED',
      message: `${usesIban ? 'iban' : 'iban or account_number'} is required for a bank transfer`,
    })
    return
  }
  if (usesIban) {
    c.errors.push({
      field: 'iban',
      code: 'REQUIRED',
      message: `${country} uses IBANs: give iban, not account_number`,
    })
    return
  }
  const format = (country !== undefined ? LOCAL_ACCOUNT_FORMATS[country] : undefined) ?? GENERIC_ACCOUNT
  const normalized = compact(account)
  if (!format.pattern.test(normalized)) {
    c.errors.push({
      field: 'account_number',
      code: 'ACCOUNT_FORMAT',
      message: `account_number must be ${format.described}`,
    })
  } else c.out.account_number = normalized
  // Without an IBAN the bank is named by BIC or by name: an account number alone names no bank.
  if (bic === undefined && bank === undefined) {
    c.errors.push({
      field: 'bic',
      code: 'REQUIRED',
      message: 'bic or bank_name is required with an account_number',
    })
  }
}

function checkWallet(c: Checker, input: BeneficiaryInput, country: string | undefined) {
  const provider = text(c, input, 'wallet_provider', true)
  const walletId = text(c, input, 'wallet_id', true)
  if (country === undefined || provider === undefined) return
  const providers = WALLET_PROVIDERS[country]
  const formats = providers?.[provider.toUpperCase()]
  if (formats === undefined) {
    const known = providers === undefined ? 'none' : Object.keys(providers).join(', ')
    c.errors.push({
      field: 'wallet_provider',
      code: 'WALLET_PROVIDER',
      message: `no e-wallet ${provider} in ${country}; known: ${known}`,
    })
    return
  }
  c.out.wallet_provider = provider.toUpperCase()
  if (walletId === undefined) return
  const normalized = compact(walletId)
  if (formats.some((format) => format.pattern.test(normalized))) c.out.wallet_id = normalized
  else {
    c.errors.push({
      field: 'wallet_id',
      code: 'WALLET_ID_FORMAT',
      message: `wallet_id must be ${formats.map((f) => f.described).join(', or ')}`,
    })
  }
}

function checkCard(c: Checker, input: BeneficiaryInput) {
  const token = text(c, input, 'card_token', true)
  if (token === undefined) return
  if (CARD_TOKEN.test(token)) c.out.card_token = token
  else {
    c.errors.push({
      field: 'card_token',
      code: 'CARD_TOKEN_FORMAT',
      message:
        "card_token is the off-ramp's vault token (8 to 64 letters, digits, _ or -), never a card number",
    })
  }
}

/** The fields each rail takes; any other field given is an error (a stray card number never passes). */
export const RAIL_FIELDS: Readonly<Record<Rail, readonly string[]>> = {
  BANK_TRANSFER: ['name', 'country', 'iban', 'account_number', 'bic', 'bank_name', 'address'],
  E_WALLET: ['name', 'country', 'wallet_provider', 'wallet_id'],
  CARD: ['name', 'country', 'card_token'],
}

export function validateBeneficiary(input: BeneficiaryInput, rail: Rail): BeneficiaryCheck {
  const c: Checker = { errors: [], out: {} }
  for (const field of Object.keys(input)) {
    if (!RAIL_FIELDS[rail].includes(field)) {
      c.errors.push({
        field,
        code: 'NOT_ALLOWED',
        message: `${field} is not a field of a ${rail} beneficiary`,
      })
    }
  }
  const name = text(c, input, 'name', true)
  if (name !== undefined) c.out.name = name
  const countryText = text(c, input, 'country', true)
  let country: string | undefined
  if (countryText !== undefined) {
    if (/^[A-Z]{2}$/.test(countryText) && COUNTRIES.has(countryText)) country = countryText
    else
      c.errors.push({
        field: 'country',
        code: 'COUNTRY',
        message: 'country must be an ISO 3166-1 alpha-2 code in upper case',
      })
  }
  if (country !== undefined) c.out.country = country
  if (rail === 'BANK_TRANSFER') checkBankTransfer(c, input, country)
  else if (rail === 'E_WALLET') checkWallet(c, input, country)
  else checkCard(c, input)
  if (c.errors.length > 0) return { valid: false, errors: c.errors }
  return { valid: true, errors: [], beneficiary: c.out as Beneficiary }
}
