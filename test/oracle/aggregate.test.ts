import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { cmp, type Ratio, r, ratio, ZERO } from '../../src/money/ratio.ts'
import { aggregate, type Observations, type OracleReading } from '../../src/oracle/aggregate.ts'
import { NEAR_THRESHOLD_FRACTION, ORACLE_PAIR_CONFIG, type OraclePair } from '../../src/oracle/pairs.ts'

const NOW = 1_800_000_000_000

function observed(price: Ratio, ageMs: number) {
  return { price, atMs: NOW - ageMs }
}

function at(price: string, ageMs: number) {
  return observed(r(price), ageMs)
}

function both(a: string, b: string, ageMs = 0): Observations {
  return { primary_a: at(a, ageMs), primary_b: at(b, ageMs) }
}

/** A full expected reading, with the usual defaults for a 50/50 OK reading. */
function expected(pair: OraclePair, fields: Partial<OracleReading>): OracleReading {
  return {
    pair,
    status: 'OK',
    ageMs: 0,
    deviation: ZERO,
    nearStale: false,
    nearDeviation: false,
    tieBreak: false,
    sources: ['primary_a', 'primary_b'],
    ...fields,
  }
}

describe('oracle pairs (SPEC §6.2 table)', () => {
  it('carries the max age and max deviation of every pair', () => {
    assert.equal(ORACLE_PAIR_CONFIG['USD-SGD'].maxAgeMs, 30_000)
    assert.deepEqual(ORACLE_PAIR_CONFIG['USD-SGD'].maxDeviation, ratio(1n, 1000n))
    assert.equal(ORACLE_PAIR_CONFIG['USD-IDR'].maxAgeMs, 20_000)
    assert.deepEqual(ORACLE_PAIR_CONFIG['USD-IDR'].maxDeviation, ratio(15n, 10_000n))
    assert.equal(ORACLE_PAIR_CONFIG['USD-MYR'].maxAgeMs, 20_000)
    assert.deepEqual(ORACLE_PAIR_CONFIG['USD-MYR'].maxDeviation, ratio(15n, 10_000n))
    assert.equal(ORACLE_PAIR_CONFIG['MYR-IDR'].maxAgeMs, 15_000)
    assert.deepEqual(ORACLE_PAIR_CONFIG['MYR-IDR'].maxDeviation, ratio(2n, 1000n))
    assert.deepEqual(NEAR_THRESHOLD_FRACTION, ratio(4n, 5n))
  })
})

describe('aggregate: max deviation between the primaries, at, below and above (SPEC §6.2)', () => {
  const rows: { name: string; pair: OraclePair; obs: Observations; want: OracleReading }[] = [
    {
      name: 'USD-IDR exactly 0.15% apart is OK, mid 50/50',
      pair: 'USD-IDR',
      obs: both('16000', '16024'),
      want: expected('USD-IDR', { mid: r('16012'), deviation: r('0.0015'), nearDeviation: true }),
    },
    {
      name: 'USD-IDR just below 0.15%',
      pair: 'USD-IDR',
      obs: both('16000', '16023.99'),
      want: expected('USD-IDR', { mid: r('16011.995'), deviation: r('0.001499375'), nearDeviation: true }),
    },
    {
      name: 'USD-IDR just above 0.15% with no reference is DEVIATION',
      pair: 'USD-IDR',
      obs: both('16000', '16024.01'),
      want: expected('USD-IDR', {
        status: 'DEVIATION',
        deviation: r('0.001500625'),
        nearDeviation: true,
        sources: [],
      }),
    },
    {
      name: 'USD-IDR the order of the primaries does not matter',
      pair: 'USD-IDR',
      obs: both('16024', '16000'),
      want: expected('USD-IDR', { mid: r('16012'), deviation: r('0.0015'), nearDeviation: true }),
    },
    {
      name: 'USD-SGD exactly 0.10% apart',
      pair: 'USD-SGD',
      obs: both('1.3', '1.3013'),
      want: expected('USD-SGD', { mid: r('1.30065'), deviation: r('0.001'), nearDeviation: true }),
    },
    {
      name: 'USD-SGD just above 0.10%',
      pair: 'USD-SGD',
      obs: both('1.3', '1.30130001'),
      want: expected('USD-SGD', {
        status: 'DEVIATION',
        deviation: ratio(130_001n, 130_000_000n),
        nearDeviation: true,
        sources: [],
      }),
    },
    {
      name: 'USD-MYR exactly 0.15% apart',
      pair: 'USD-MYR',
      obs: both('4.2', '4.2063'),
      want: expected('USD-MYR', { mid: r('4.20315'), deviation: r('0.0015'), nearDeviation: true }),
    },
    {
      name: 'USD-MYR just above 0.15%',
      pair: 'USD-MYR',
      obs: both('4.2', '4.20630001'),
      want: expected('USD-MYR', {
        status: 'DEVIATION',
        deviation: ratio(630_001n, 420_000_000n),
        nearDeviation: true,
        sources: [],
      }),
    },
    {
      name: 'MYR-IDR exactly 0.20% apart',
      pair: 'MYR-IDR',
      obs: both('3800', '3807.6'),
      want: expected('MYR-IDR', { mid: r('3803.8'), deviation: r('0.002'), nearDeviation: true }),
    },
    {
      name: 'MYR-IDR just below 0.20%',
      pair: 'MYR-IDR',
      obs: both('3800', '3807.59'),
      want: expected('MYR-IDR', {
        mid: r('3803.795'),
        deviation: ratio(759n, 380_000n),
        nearDeviation: true,
      }),
    },
    {
      name: 'MYR-IDR just above 0.20%',
      pair: 'MYR-IDR',
      obs: both('3800', '3807.61'),
      want: expected('MYR-IDR', {
        status: 'DEVIATION',
        deviation: ratio(761n, 380_000n),
        nearDeviation: true,
        sources: [],
      }),
    },
    {
      name: 'identical primaries: deviation 0, mid the price',
      pair: 'USD-IDR',
      obs: both('16250', '16250'),
      want: expected('USD-IDR', { mid: r('16250') }),
    },
  ]

  for (const row of rows) {
    it(row.name, () => {
      assert.deepEqual(aggregate(row.pair, row.obs, NOW), row.want)
    })
  }
})

describe('aggregate: max age, at, below and above (SPEC §6.2, fresh up to and including the max age)', () => {
  const rows: { pair: OraclePair; maxAgeMs: number; a: string; b: string; mid: string }[] = [
    { pair: 'USD-IDR', maxAgeMs: 20_000, a: '16250', b: '16251', mid: '16250.5' },
    { pair: 'USD-MYR', maxAgeMs: 20_000, a: '4.2', b: '4.2001', mid: '4.20005' },
    { pair: 'USD-SGD', maxAgeMs: 30_000, a: '1.3', b: '1.3001', mid: '1.30005' },
    { pair: 'MYR-IDR', maxAgeMs: 15_000, a: '3869', b: '3870', mid: '3869.5' },
  ]
  for (const row of rows) {
    it(`${row.pair}: ${row.maxAgeMs - 1} ms and ${row.maxAgeMs} ms are fresh, ${row.maxAgeMs + 1} ms is stale`, () => {
      for (const ageMs of [row.maxAgeMs - 1, row.maxAgeMs]) {
        const reading = aggregate(row.pair, both(row.a, row.b, ageMs), NOW)
        assert.equal(reading.status, 'OK')
        assert.deepEqual(reading.mid, r(row.mid))
        assert.equal(reading.ageMs, ageMs)
        assert.equal(reading.nearStale, true)
      }
      const stale = aggregate(row.pair, both(row.a, row.b, row.maxAgeMs + 1), NOW)
      assert.deepEqual(
        stale,
        expected(row.pair, {
          status: 'STALE',
          ageMs: row.maxAgeMs + 1,
          nearStale: true,
          sources: [],
        }),
      )
    })
  }

  it('uses the age of the older primary', () => {
    const reading = aggregate(
      'USD-IDR',
      { primary_a: at('16250', 3_000), primary_b: at('16251', 7_000) },
      NOW,
    )
    assert.equal(reading.ageMs, 7_000)
  })

  it('one primary beyond the max age, no reference: STALE with the older age', () => {
    const reading = aggregate(
      'USD-IDR',
      { primary_a: at('16250', 1_000), primary_b: at('16250', 20_001) },
      NOW,
    )
    assert.deepEqual(
      reading,
      expected('USD-IDR', { status: 'STALE', ageMs: 20_001, nearStale: true, sources: [] }),
    )
  })

  it('a primary that never reported: STALE with no age', () => {
    const reading = aggregate('USD-IDR', { primary_a: at('16250', 1_000) }, NOW)
    assert.deepEqual(
      reading,
      expected('USD-IDR', { status: 'STALE', ageMs: null, nearStale: true, sources: [] }),
    )
  })

  it('no observation at all: STALE with no age', () => {
    assert.deepEqual(
      aggregate('MYR-IDR', {}, NOW),
      expected('MYR-IDR', { status: 'STALE', ageMs: null, nearStale: true, sources: [] }),
    )
  })

  it('a fresh reference alone never makes a mid', () => {
    const reading = aggregate(
      'USD-IDR',
      { primary_a: at('16250', 30_000), primary_b: at('16250', 30_000), reference: at('16250', 0) },
      NOW,
    )
    assert.equal(reading.status, 'STALE')
    assert.equal(reading.mid, undefined)
    assert.equal(reading.ageMs, 30_000)
  })

  it('a timestamp slightly ahead of now counts as age 0', () => {
    const reading = aggregate('USD-IDR', { primary_a: at('16250', -500), primary_b: at('16250', 0) }, NOW)
    assert.equal(reading.status, 'OK')
    assert.equal(reading.ageMs, 0)
  })
})

describe('aggregate: near-threshold flags at exactly 80% (SPEC §6.2 [ours])', () => {
  const rows: { pair: OraclePair; nearAgeMs: number; a: string; nearB: string; belowB: string }[] = [
    { pair: 'USD-IDR', nearAgeMs: 16_000, a: '16000', nearB: '16019.2', belowB: '16019.19' },
    { pair: 'USD-MYR', nearAgeMs: 16_000, a: '4.2', nearB: '4.20504', belowB: '4.20503' },
    { pair: 'USD-SGD', nearAgeMs: 24_000, a: '1.3', nearB: '1.30104', belowB: '1.30103' },
    { pair: 'MYR-IDR', nearAgeMs: 12_000, a: '3800', nearB: '3806.08', belowB: '3806.07' },
  ]
  for (const row of rows) {
    it(`${row.pair}: near stale from ${row.nearAgeMs} ms, near deviation from 80% of the max`, () => {
      assert.equal(aggregate(row.pair, both(row.a, row.a, row.nearAgeMs), NOW).nearStale, true)
      assert.equal(aggregate(row.pair, both(row.a, row.a, row.nearAgeMs - 1), NOW).nearStale, false)
      const near = aggregate(row.pair, both(row.a, row.nearB), NOW)
      assert.equal(near.status, 'OK')
      assert.equal(near.nearDeviation, true)
      const below = aggregate(row.pair, both(row.a, row.belowB), NOW)
      assert.equal(below.status, 'OK')
      assert.equal(below.nearDeviation, false)
    })
  }
})

describe('aggregate: the reference breaks ties only when the primaries deviate (SPEC §6.2)', () => {
  // a = 16000 and b = 16100 are 0.625% apart, far beyond USD-IDR's 0.15%.
  const apart = (reference?: { price: Ratio; atMs: number }, ages = { a: 0, b: 0 }): Observations => ({
    primary_a: at('16000', ages.a),
    primary_b: at('16100', ages.b),
    ...(reference === undefined ? {} : { reference }),
  })
  const deviation = r('0.00625')

  it('reference sides with primary_a: OK at a’s price', () => {
    assert.deepEqual(
      aggregate('USD-IDR', apart(at('16010', 0), { a: 5_000, b: 1_000 }), NOW),
      expected('USD-IDR', {
        mid: r('16000'),
        ageMs: 5_000,
        deviation,
        nearDeviation: true,
        tieBreak: true,
        sources: ['primary_a', 'reference'],
      }),
    )
  })

  it('reference sides with primary_b: OK at b’s price', () => {
    assert.deepEqual(
      aggregate('USD-IDR', apart(at('16090', 2_000)), NOW),
      expected('USD-IDR', {
        mid: r('16100'),
        deviation,
        nearDeviation: true,
        tieBreak: true,
        sources: ['primary_b', 'reference'],
      }),
    )
  })

  it('reference sides with neither: DEVIATION', () => {
    assert.deepEqual(
      aggregate('USD-IDR', apart(at('16050', 0)), NOW),
      expected('USD-IDR', { status: 'DEVIATION', deviation, nearDeviation: true, sources: [] }),
    )
  })

  it('reference close to both (between them): cannot decide, DEVIATION', () => {
    const obs = { primary_a: at('16000', 0), primary_b: at('16040', 0), reference: at('16020', 0) }
    const reading = aggregate('USD-IDR', obs, NOW)
    assert.equal(reading.status, 'DEVIATION')
    assert.deepEqual(reading.deviation, r('0.0025'))
  })

  it('stale reference: DEVIATION', () => {
    assert.equal(aggregate('USD-IDR', apart(at('16010', 20_001)), NOW).status, 'DEVIATION')
    assert.equal(aggregate('USD-IDR', apart(at('16010', 20_000)), NOW).status, 'OK')
  })

  it('reference exactly at the max deviation from a primary still sides with it', () => {
    // 16024 is 0.15% above 16000 and 0.472% below 16100.
    const reading = aggregate('USD-IDR', apart(at('16024', 0)), NOW)
    assert.deepEqual(reading.mid, r('16000'))
    assert.equal(aggregate('USD-IDR', apart(at('16024.01', 0)), NOW).status, 'DEVIATION')
  })

  it('primaries within the threshold ignore the reference entirely', () => {
    const obs = { ...both('16000', '16010'), reference: at('17000', 0) }
    assert.deepEqual(
      aggregate('USD-IDR', obs, NOW),
      expected('USD-IDR', { mid: r('16005'), deviation: r('0.000625') }),
    )
  })
})

describe('aggregate: one fresh primary confirmed by the reference (decision [ours])', () => {
  it('OK at the fresh primary’s price when the reference agrees', () => {
    const obs = { primary_a: at('16000', 25_000), primary_b: at('16100', 3_000), reference: at('16110', 0) }
    assert.deepEqual(
      aggregate('USD-IDR', obs, NOW),
      expected('USD-IDR', {
        mid: r('16100'),
        ageMs: 3_000,
        tieBreak: true,
        sources: ['primary_b', 'reference'],
      }),
    )
  })

  it('also when the other primary never reported', () => {
    const obs = { primary_a: at('16000', 1_000), reference: at('16000', 1_000) }
    const reading = aggregate('USD-IDR', obs, NOW)
    assert.equal(reading.status, 'OK')
    assert.deepEqual(reading.mid, r('16000'))
    assert.equal(reading.tieBreak, true)
  })

  it('STALE when the reference disagrees, or is stale', () => {
    const disagrees = {
      primary_a: at('16000', 1_000),
      primary_b: at('16000', 21_000),
      reference: at('16100', 0),
    }
    assert.deepEqual(
      aggregate('USD-IDR', disagrees, NOW),
      expected('USD-IDR', { status: 'STALE', ageMs: 21_000, nearStale: true, sources: [] }),
    )
    const stale = {
      primary_a: at('16000', 1_000),
      primary_b: at('16000', 21_000),
      reference: at('16000', 21_000),
    }
    assert.equal(aggregate('USD-IDR', stale, NOW).status, 'STALE')
  })
})

describe('aggregate: properties', () => {
  const price = fc.bigInt({ min: 1n, max: 10n ** 12n }).map((n) => ratio(n, 10_000n))
  const age = fc.integer({ min: 0, max: 40_000 })
  const pair = fc.constantFrom<OraclePair>('USD-IDR', 'USD-SGD', 'USD-MYR', 'MYR-IDR')

  it('swapping the primaries changes nothing but the order of sources', () => {
    fc.assert(
      fc.property(pair, price, price, price, age, age, age, (p, a, b, ref, ageA, ageB, ageRef) => {
        const one = aggregate(
          p,
          { primary_a: observed(a, ageA), primary_b: observed(b, ageB), reference: observed(ref, ageRef) },
          NOW,
        )
        const two = aggregate(
          p,
          { primary_a: observed(b, ageB), primary_b: observed(a, ageA), reference: observed(ref, ageRef) },
          NOW,
        )
        assert.equal(one.status, two.status)
        assert.deepEqual(one.mid, two.mid)
        assert.deepEqual(one.deviation, two.deviation)
        assert.equal(one.ageMs, two.ageMs)
      }),
    )
  })

  it('an OK mid lies between the primaries, or is one of them; no mid otherwise', () => {
    fc.assert(
      fc.property(pair, price, price, price, age, age, age, (p, a, b, ref, ageA, ageB, ageRef) => {
        const reading = aggregate(
          p,
          { primary_a: observed(a, ageA), primary_b: observed(b, ageB), reference: observed(ref, ageRef) },
          NOW,
        )
        if (reading.status !== 'OK') return assert.equal(reading.mid, undefined)
        const mid = reading.mid as Ratio
        const low = cmp(a, b) <= 0 ? a : b
        const high = cmp(a, b) <= 0 ? b : a
        assert.ok(cmp(low, mid) <= 0 && cmp(mid, high) <= 0)
        if (reading.tieBreak) assert.ok(cmp(mid, a) === 0 || cmp(mid, b) === 0)
      }),
    )
  })
})
