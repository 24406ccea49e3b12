/**
 * Issue 13 beneficiary validation, pure: IBAN (ISO 13616) and BIC (ISO 9362)
 * tables through `ibantools`, the Phase 1 countries' local account and
 * e-wallet formats, and the rules every rail shares (name, country, no
 * stray fields: a card number never passes).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { type Rail, validateBeneficiary } from '../../src/payments/beneficiary.ts'

const codes = (input: Record<string, unknown>, rail: Rail = 'BANK_TRANSFER') => {
  const result = validateBeneficiary(input, rail)
  return result.valid ? [] : result.errors.map((e) => `${e.field}:${e.code}`)
}

const normalized = (input: Record<string, unknown>, rail: Rail = 'BANK_TRANSFER') => {
  const result = validateBeneficiary(input, rail)
  assert.ok(result.valid, JSON.stringify(result))
  return result.beneficiary
}

const DE = { name: 'Anna Schmidt', country: 'DE' }

describe('IBAN', () => {
  const table: [string, string, string[]][] = [
    ['valid (DE)', 'DE89370400440532013000', []],
    ['valid (GB)', 'GB82WEST12345698765432', []],
    ['wrong checksum', 'DE89370400440532013001', ['iban:IBAN_CHECKSUM']],
    ['one digit short', 'DE8937040044053201300', ['iban:IBAN_LENGTH']],
    ['one digit long', 'DE893704004405320130000', ['iban:IBAN_LENGTH']],
    ['lower case', 'de89370400440532013000', []],
    ['spaces (print format)', 'DE89 3704 0044 0532 0130 00', []],
    ['no IBAN country', 'XX89370400440532013000', ['iban:IBAN_COUNTRY']],
    ['letters where DE has digits', 'DE89370400440532O13000', ['iban:IBAN_FORMAT']],
  ]
  for (const [name, iban, expected] of table) {
    it(name, () => {
      const country = iban.slice(0, 2).toUpperCase() === 'GB' ? 'GB' : 'DE'
      assert.deepEqual(codes({ ...DE, country, iban }), expected)
    })
  }

  it('lower case and spaces come back in electronic format', () => {
    assert.equal(normalized({ ...DE, iban: 'de89 3704 0044 0532 0130 00' }).iban, 'DE89370400440532013000')
  })

  it("an IBAN of another country than the beneficiary's is refused", () => {
    assert.deepEqual(codes({ ...DE, country: 'FR', iban: 'DE89370400440532013000' }), [
      'iban:IBAN_COUNTRY_MISMATCH',
    ])
  })

  it('an IBAN country needs an IBAN, not an account number', () => {
    assert.deepEqual(codes({ ...DE, account_number: '0532013000', bic: 'DEUTDEFF' }), ['iban:REQUIRED'])
  })

  it('any single changed digit breaks the mod-97 checksum (property)', () => {
    const iban = 'DE89370400440532013000'
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: iban.length - 1 }),
        fc.integer({ min: 1, max: 9 }),
        (at, delta) => {
          const digit = (Number(iban[at]) + delta) % 10
          const changed = `${iban.slice(0, at)}${digit}${iban.slice(at + 1)}`
          assert.deepEqual(codes({ ...DE, iban: changed }), ['iban:IBAN_CHECKSUM'])
        },
      ),
    )
  })
})

describe('BIC', () => {
  const iban = 'DE89370400440532013000'
  const table: [string, string, string[], string | undefined][] = [
    ['valid, 8 characters', 'DEUTDEFF', [], 'DEUTDEFF'],
    ['valid, with a branch', 'DEUTDEFF500', [], 'DEUTDEFF500'],
    ['lower case', 'deutdeff', [], 'DEUTDEFF'],
    ['spaces', 'DEUT DE FF', [], 'DEUTDEFF'],
    ['unknown country', 'DEUTXXFF', ['bic:BIC_COUNTRY'], undefined],
    ['7 characters', 'DEUTDEF', ['bic:BIC_FORMAT'], undefined],
    ['9 characters', 'DEUTDEFF5', ['bic:BIC_FORMAT'], undefined],
    ['a digit in the bank code', 'DEU1DEFF', ['bic:BIC_FORMAT'], undefined],
    ["another country than the beneficiary's", 'BNPAFRPP', ['bic:BIC_COUNTRY_MISMATCH'], undefined],
  ]
  for (const [name, bic, expected, shown] of table) {
    it(name, () => {
      assert.deepEqual(codes({ ...DE, iban, bic }), expected)
      if (shown !== undefined) assert.equal(normalized({ ...DE, iban, bic }).bic, shown)
    })
  }
})

describe('local bank accounts (Phase 1 countries)', () => {
  const table: [string, Record<string, unknown>, string[]][] = [
    ['ID, 10 digits with a BIC', { country: 'ID', account_number: '1234567890', bic: 'CENAIDJA' }, []],
    [
      'ID, 16 digits with a bank name',
      { country: 'ID', account_number: '1234567890123456', bank_name: 'BRI' },
      [],
    ],
    [
      'ID, 9 digits',
      { country: 'ID', account_number: '123456789', bank_name: 'BCA' },
      ['account_number:ACCOUNT_FORMAT'],
    ],
    [
      'ID, letters',
      { country: 'ID', account_number: '12345678AB', bank_name: 'BCA' },
      ['account_number:ACCOUNT_FORMAT'],
    ],
    ['ID, no bank', { country: 'ID', account_number: '1234567890' }, ['bic:REQUIRED']],
    ['SG, 10 digits (FAST)', { country: 'SG', account_number: '0123456789', bic: 'DBSSSGSG' }, []],
    [
      'SG, 13 digits',
      { country: 'SG', account_number: '0123456789012', bic: 'DBSSSGSG' },
      ['account_number:ACCOUNT_FORMAT'],
    ],
    ['MY, 12 digits (IBG)', { country: 'MY', account_number: '512345678901', bic: 'MBBEMYKL' }, []],
    [
      'MY, 8 digits',
      { country: 'MY', account_number: '51234567', bic: 'MBBEMYKL' },
      ['account_number:ACCOUNT_FORMAT'],
    ],
    [
      'both iban and account',
      { country: 'ID', account_number: '1234567890', iban: 'DE89370400440532013000', bank_name: 'BCA' },
      ['account_number:CONFLICT'],
    ],
    ['no account at all', { country: 'ID' }, ['account_number:REQUIRED']],
  ]
  for (const [name, input, expected] of table) {
    it(name, () => assert.deepEqual(codes({ name: 'Budi Santoso', ...input }), expected))
  }
})

describe('e-wallets (PayNow, DuitNow and others)', () => {
  const table: [string, Record<string, unknown>, string[]][] = [
    [
      'ID GoPay, 08 number, provider in lower case',
      { country: 'ID', wallet_provider: 'gopay', wallet_id: '081234567890' },
      [],
    ],
    ['ID OVO, +62 number', { country: 'ID', wallet_provider: 'OVO', wallet_id: '+6281234567890' }, []],
    [
      'ID DANA, not a mobile number',
      { country: 'ID', wallet_provider: 'DANA', wallet_id: '021234567' },
      ['wallet_id:WALLET_ID_FORMAT'],
    ],
    ['SG PayNow, mobile', { country: 'SG', wallet_provider: 'PAYNOW', wallet_id: '+6591234567' }, []],
    ['SG PayNow, NRIC', { country: 'SG', wallet_provider: 'PAYNOW', wallet_id: 'S1234567D' }, []],
    ['SG PayNow, UEN', { country: 'SG', wallet_provider: 'PAYNOW', wallet_id: '53312345K' }, []],
    [
      'SG PayNow, 7-digit mobile',
      { country: 'SG', wallet_provider: 'PAYNOW', wallet_id: '9123456' },
      ['wallet_id:WALLET_ID_FORMAT'],
    ],
    ['MY DuitNow, mobile', { country: 'MY', wallet_provider: 'DUITNOW', wallet_id: '0123456789' }, []],
    ['MY DuitNow, MyKad', { country: 'MY', wallet_provider: 'DUITNOW', wallet_id: '900101145678' }, []],
    [
      'GoPay in Malaysia',
      { country: 'MY', wallet_provider: 'GOPAY', wallet_id: '0123456789' },
      ['wallet_provider:WALLET_PROVIDER'],
    ],
    ['no wallet id', { country: 'SG', wallet_provider: 'PAYNOW' }, ['wallet_id:REQUIRED']],
  ]
  for (const [name, input, expected] of table) {
    it(name, () => assert.deepEqual(codes({ name: 'Tan Mei Ling', ...input }, 'E_WALLET'), expected))
  }

  it('a wallet id comes back without spaces or dashes', () => {
    const wallet = normalized(
      { name: 'Tan', country: 'SG', wallet_provider: 'paynow', wallet_id: '+65 9123-4567' },
      'E_WALLET',
    )
    assert.deepEqual(wallet, {
      name: 'Tan',
      country: 'SG',
      wallet_provider: 'PAYNOW',
      wallet_id: '+6591234567',
    })
  })
})

describe('every rail', () => {
  it('name and country are required, every error reported at once', () => {
    assert.deepEqual(codes({}), ['name:REQUIRED', 'country:REQUIRED', 'account_number:REQUIRED'])
  })

  it('country is ISO 3166-1 alpha-2 in upper case', () => {
    assert.deepEqual(codes({ ...DE, country: 'de', iban: 'DE89370400440532013000' }), ['country:COUNTRY'])
    assert.deepEqual(codes({ ...DE, country: 'QQ', iban: 'DE89370400440532013000' }), ['country:COUNTRY'])
  })

  it('a name is at most 140 characters (ISO 20022 Max140Text)', () => {
    assert.deepEqual(codes({ ...DE, name: 'x'.repeat(141), iban: 'DE89370400440532013000' }), [
      'name:TOO_LONG',
    ])
  })

  it('a card payout takes a vault token, and a card number is refused as a field', () => {
    assert.deepEqual(codes({ name: 'Ali', country: 'MY', card_token: 'tok_4f9a8b7c6d' }, 'CARD'), [])
    assert.deepEqual(codes({ name: 'Ali', country: 'MY', card_number: '4111111111111111' }, 'CARD'), [
      'card_number:NOT_ALLOWED',
      'card_token:REQUIRED',
    ])
    assert.deepEqual(codes({ name: 'Ali', country: 'MY', card_token: '4111 1111 1111 1111' }, 'CARD'), [
      'card_token:CARD_TOKEN_FORMAT',
    ])
  })

  it('wallet fields on a bank transfer are refused', () => {
    assert.deepEqual(codes({ ...DE, iban: 'DE89370400440532013000', wallet_id: '1' }), [
      'wallet_id:NOT_ALLOWED',
    ])
  })
})
