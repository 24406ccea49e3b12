/**
 * Issue 13, pure parts: IVMS101 Travel Rule payloads (valid and invalid,
 * through the `ivms101` package with its beneficiary C1/C4 misapplication
 * corrected), the pacs.002 status lifecycle (a step may be skipped, never
 * taken back, a final status never left), and the off-ramp routing checks.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  ANSWER_STATUSES,
  type AnswerStatus,
  checkAnswer,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from '../../src/payments/model.ts'
import {
  applyOffRampPatch,
  checkRouting,
  DEFAULT_OFF_RAMP_FIELDS,
} from '../../src/payments/off-ramp-config.ts'
import { validateTravelRule } from '../../src/payments/travel-rule.ts'
import { ORIGINATOR, TRAVEL_RULE } from './fixtures.ts'

const fields = (input: unknown) => {
  const checked = validateTravelRule(input)
  return checked.ok ? [] : checked.errors.map((e) => e.field)
}

describe('IVMS101 Travel Rule payloads', () => {
  it('a valid payload passes whole, post code included', () => {
    const checked = validateTravelRule(TRAVEL_RULE)
    assert.ok(checked.ok)
    // As sent: the package's own copy would drop `postCode` (it spells it `postcode`).
    assert.deepEqual(checked.value, TRAVEL_RULE)
  })

  it('a beneficiary needs only its name (IVMS101 C1 and C4 are about the originator)', () => {
    assert.deepEqual(fields(TRAVEL_RULE), [])
    const legal = {
      ...TRAVEL_RULE,
      beneficiary: {
        beneficiaryPersons: [
          {
            legalPerson: {
              name: {
                nameIdentifier: [{ legalPersonName: 'PT Maju', legalPersonNameIdentifierType: 'LEGL' }],
              },
            },
          },
        ],
      },
    }
    assert.deepEqual(fields(legal), [])
  })

  const invalid: [string, unknown, string[]][] = [
    ['not an object', 'Tan Mei Ling', ['travel_rule']],
    ['no beneficiary', { originator: ORIGINATOR }, ['travel_rule.beneficiary']],
    [
      'an originator without address, id, customer number or birth (C1)',
      {
        ...TRAVEL_RULE,
        originator: {
          originatorPersons: [
            { naturalPerson: { name: ORIGINATOR.originatorPersons[0]?.naturalPerson.name } },
          ],
        },
      },
      ['travel_rule.originator.originatorPersons[0].naturalPerson'],
    ],
    [
      'a name type that is not an IVMS101 code',
      {
        ...TRAVEL_RULE,
        beneficiary: {
          beneficiaryPersons: [
            {
              naturalPerson: {
                name: { nameIdentifier: [{ primaryIdentifier: 'Santoso', nameIdentifierType: 'NICK' }] },
              },
            },
          ],
        },
      },
      [
        'travel_rule.beneficiary.beneficiaryPersons[0].naturalPerson.name.nameIdentifier[0].nameIdentifierType',
      ],
    ],
    [
      'an empty originator list',
      { ...TRAVEL_RULE, originator: { originatorPersons: [] } },
      ['travel_rule.originator.originatorPersons'],
    ],
    [
      'a country that is not ISO 3166',
      {
        ...TRAVEL_RULE,
        originator: {
          originatorPersons: [
            {
              naturalPerson: {
                ...ORIGINATOR.originatorPersons[0]?.naturalPerson,
                geographicAddress: [
                  { addressType: 'HOME', addressLine: ['1 Main St'], townName: 'X', country: 'ZZ' },
                ],
              },
            },
          ],
        },
      },
      ['travel_rule.originator.originatorPersons[0].naturalPerson.geographicAddress[0].country'],
    ],
  ]
  for (const [name, payload, expected] of invalid) {
    it(`invalid: ${name}`, () => assert.deepEqual(fields(payload), expected))
  }
})

describe('payment status lifecycle (pacs.002)', () => {
  const table: [PaymentStatus, AnswerStatus, string | undefined, string | null][] = [
    ['RCVD', 'ACCP', undefined, null],
    ['RCVD', 'ACSC', undefined, null],
    ['ACCP', 'ACSP', undefined, null],
    ['ACSP', 'ACSC', undefined, null],
    ['ACSP', 'RJCT', 'AM04', null],
    ['RCVD', 'RJCT', undefined, 'VALIDATION_ERROR'],
    ['RCVD', 'RJCT', 'ZZ99', 'VALIDATION_ERROR'],
    ['RCVD', 'ACCP', 'NARR', 'VALIDATION_ERROR'],
    ['ACSP', 'ACCP', undefined, 'CONFLICT'],
    ['ACCP', 'ACCP', undefined, 'CONFLICT'],
    ['ACSC', 'RJCT', 'AC04', 'CONFLICT'],
    ['RJCT', 'ACSC', undefined, 'CONFLICT'],
  ]
  for (const [from, to, reason, expected] of table) {
    it(`${from} → ${to}${reason === undefined ? '' : ` ${reason}`}: ${expected ?? 'ok'}`, () => {
      const result = checkAnswer(from, { status: to, reason })
      assert.equal(result.ok ? null : result.code, expected)
    })
  }

  it('any sequence of accepted answers only moves forward and stops at a final status (property)', () => {
    const rank: Record<PaymentStatus, number> = { RCVD: 0, ACCP: 1, ACSP: 2, ACSC: 3, RJCT: 3 }
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ANSWER_STATUSES), { maxLength: 12 }), (answers) => {
        let status: PaymentStatus = 'RCVD'
        for (const answer of answers) {
          const result = checkAnswer(status, {
            status: answer,
            reason: answer === 'RJCT' ? 'AC01' : undefined,
          })
          if (!result.ok) continue
          assert.ok(rank[answer] > rank[status])
          assert.ok(status !== 'ACSC' && status !== 'RJCT')
          status = answer
        }
        assert.ok(PAYMENT_STATUSES.includes(status))
      }),
    )
  })
})

describe('off-ramp configuration and routing', () => {
  const beneficiary = { name: 'Budi', country: 'ID', account_number: '1234567890', bank_name: 'BCA' }
  const route = { rail: 'BANK_TRANSFER' as const, beneficiary, corridor: 'USD-IDR', asset: 'IDRX' }

  it('none configured accepts every rail, country and asset', () => {
    assert.ok(checkRouting(DEFAULT_OFF_RAMP_FIELDS, route).ok)
    assert.ok(checkRouting(DEFAULT_OFF_RAMP_FIELDS, { ...route, rail: 'CARD', asset: 'USDT' }).ok)
  })

  it('rails, countries and the settlement currency per corridor are checked when configured', () => {
    const config = applyOffRampPatch(DEFAULT_OFF_RAMP_FIELDS, {
      payout_rails: ['BANK_TRANSFER', 'E_WALLET'],
      payout_countries: ['ID'],
      settlement_currencies: [{ corridor: 'USD-IDR', asset: 'IDRX' }],
    })
    assert.ok(config.ok)
    assert.ok(checkRouting(config.value, route).ok)
    const refused = (change: object) => {
      const result = checkRouting(config.value, { ...route, ...change })
      return result.ok ? null : result.code
    }
    assert.equal(refused({ rail: 'CARD' }), 'VALIDATION_ERROR')
    assert.equal(refused({ beneficiary: { ...beneficiary, country: 'SG' } }), 'VALIDATION_ERROR')
    assert.equal(refused({ asset: 'USDT' }), 'VALIDATION_ERROR')
    // No settlement currency set for this corridor: any.
    assert.equal(refused({ corridor: 'MYR-IDR', asset: 'MYRC' }), null)
  })

  it('a settlement currency must be an asset of its corridor', () => {
    const result = applyOffRampPatch(DEFAULT_OFF_RAMP_FIELDS, {
      settlement_currencies: [{ corridor: 'USD-IDR', asset: 'MYRC' }],
    })
    assert.equal(result.ok ? null : result.message, 'settlement_currencies: MYRC is not an asset of USD-IDR')
  })
})
