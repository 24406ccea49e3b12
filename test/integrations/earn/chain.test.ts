/**
 * Issue 12, live settlement on chain, against a local EVM node (Anvil, as
 * test/chain/evm starts it): with a configured venue (not the simulator), the
 * environment's EVM sender and a settlement address for the entity, what we
 * owe is an ERC-20 transfer from the hot wallet with the reference
 * `earn-settlement:<id>`. A first attempt that is not confirmed in time
 * leaves the settlement SENDING; the retry waits for the same transaction and
 * pays nothing more; the mined transfer makes it CONFIRMED with one
 * `settlement.confirmed`. A transfer the chain reverts makes it FAILED with
 * one `settlement.failed`. An entity without an address waits for an operator.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createStablefx } from '../../../src/app.ts'
import { createManualClock } from '../../../src/clock/clock.ts'
import type { LocalChain } from '../../../src/sim/chain.ts'
import type { Store } from '../../../src/store/store.ts'
import { mining, refuse, settingsOf, startChain, tokenBalance } from '../../chain/evm/support.ts'
import { advance } from '../../liquidity/lp-support.ts'
import { ADMIN_TOKEN, OPS_TOKEN, T0, type TestApp, testAppOf } from '../../support/app.ts'
import { describeEachDialect } from '../../support/databases.ts'
import { feedSettled } from '../../webhooks/support.ts'
import { earn } from './support.ts'

const T = { timeout: 60_000 }
const started = await startChain({ refusing: 'USDT' })
if (typeof started === 'string') console.log(`# ${started}`)

/** Fresh per app: the dialects share the node. */
async function createChainEarnApp(store: Store, chain: LocalChain, lending: Hex): Promise<TestApp> {
  const clock = createManualClock(T0)
  const stablefx = await createStablefx({
    store,
    adminToken: ADMIN_TOKEN,
    opsToken: OPS_TOKEN,
    liveClock: clock,
    logLevel: 'silent',
    rateLimit: false,
    processMetrics: false,
    oracleMode: 'manual',
    rebalancer: false,
    // Sandbox settles on the local chain, with a configured venue (never called by settlement).
    evm: settingsOf(chain, { STABLEFX_EVM_SEND_WAIT_MS: '1500' }),
    earn: {
      sandbox: {
        kind: 'venue',
        config: {
          baseUrl: 'http://127.0.0.1:9',
          tokenUrl: 'http://127.0.0.1:9/oauth/token',
          credentials: {
            lending: { clientId: 'l', clientSecret: 'l' },
            defi: { clientId: 'd', clientSecret: 'd' },
          },
          settlementAddresses: { lending },
        },
      },
      retryDelayMs: 1,
    },
  })
  return testAppOf(stablefx, clock, store)
}

/** A settlement the daily report decided: we owe the entity `amountWad`. */
async function owe(store: Store, id: string, entity: 'lending' | 'defi', amountWad: bigint): Promise<void> {
  await store.kysely
    .insertInto('earn_settlements')
    .values({
      id,
      environment: 'sandbox',
      entity,
      asset: 'USDT',
      report_id: id.split(':')[0] as string,
      direction: 'TO_VENUE',
      amount_wad: amountWad.toString(),
      status: 'PENDING',
      tx_hash: null,
      attempts: 0n,
      next_attempt_at: 0n,
      last_error: null,
      created_at: 0n,
      updated_at: 0n,
    })
    .execute()
}

async function settlement(store: Store, id: string) {
  return store.kysely
    .selectFrom('earn_settlements')
    .select(['status', 'amount_wad', 'tx_hash', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

async function transactions(store: Store) {
  return store.kysely
    .selectFrom('evm_transactions')
    .select(['reference', 'status', 'mined_hash'])
    .where('reference', 'like', 'earn-settlement:%')
    .orderBy('reference')
    .execute()
}

async function operatorEvents(app: TestApp) {
  await feedSettled(app.store)
  const response = await app.admin('GET', '/admin/v1/events?environment=sandbox')
  assert.equal(response.statusCode, 200, response.body)
  return response.json().items as { event: string; data: Record<string, unknown> }[]
}

if (typeof started === 'string') {
  describe('yield venue settlement on chain', { skip: started }, () => {})
} else {
  const chain: LocalChain = started
  after(() => chain.stop())

  describeEachDialect('yield venue settlement on chain', ({ store }) => {
    it('pays once on chain, even when retried; a reverted transfer is FAILED', T, async () => {
      const LENDING = privateKeyToAccount(generatePrivateKey()).address
      const app = await createChainEarnApp(store(), chain, LENDING)
      try {
        // 1,500.0000005 USDT owed to lending: paid rounded down to the unit, the dust carried.
        const owed = 1_500_000_000_500_000_000_000n
        await owe(store(), 'rep_a:USDT:out', 'lending', owed)
        // Owed to defi, which has no settlement address: it waits for an operator.
        await owe(store(), 'rep_b:USDT:out', 'defi', 2_000n * 10n ** 18n)

        // No block comes after the transfer's own: it is one confirmation short when the wait ends.
        assert.equal(await earn(app).sendSettlements('sandbox'), 0)
        const waiting = await settlement(store(), 'rep_a:USDT:out')
        assert.equal(waiting.status, 'SENDING')
        assert.equal(waiting.amount_wad, '1500000000000000000000')
        assert.match(String(waiting.last_error), /not confirmed yet/)
        assert.equal((await settlement(store(), 'rep_b:USDT:out')).status, 'PENDING')
        assert.equal(await tokenBalance(chain, 'USDT', LENDING as Hex), 1_500_000_000n)
        assert.deepEqual(await operatorEvents(app), [])

        // The retry (after its backoff) waits for the same transaction: confirmed, paid once.
        await advance(app, 5)
        assert.equal(await mining(chain, () => earn(app).sendSettlements('sandbox')), 1)
        const paid = await settlement(store(), 'rep_a:USDT:out')
        const sent = await transactions(store())
        assert.deepEqual(
          sent.map((t) => [t.reference, t.status]),
          [['earn-settlement:rep_a:USDT:out', 'CONFIRMED']],
        )
        assert.equal(paid.status, 'CONFIRMED')
        assert.equal(paid.tx_hash, sent[0]?.mined_hash)
        assert.equal(await tokenBalance(chain, 'USDT', LENDING as Hex), 1_500_000_000n)
        assert.deepEqual(
          (await operatorEvents(app)).map((e) => ({ event: e.event, data: e.data })),
          [
            {
              event: 'settlement.confirmed',
              data: {
                source: 'yield_venue',
                settlement_id: 'rep_a:USDT:out',
                entity: 'lending',
                asset: 'USDT',
                direction: 'TO_VENUE',
                amount: '1500000000',
                amount_wad: '1500000000000000000000',
                tx_hash: paid.tx_hash,
              },
            },
          ],
        )
        // Nothing more to pay.
        await advance(app, 600)
        assert.equal(await mining(chain, () => earn(app).sendSettlements('sandbox')), 0)
        assert.equal(await tokenBalance(chain, 'USDT', LENDING as Hex), 1_500_000_000n)
        assert.equal((await transactions(store())).length, 1)

        // The token refuses transfers: the chain reverts the payment, FAILED with its event.
        await refuse(chain, 'USDT', true)
        try {
          await owe(store(), 'rep_c:USDT:out', 'lending', 1_200n * 10n ** 18n)
          assert.equal(await mining(chain, () => earn(app).sendSettlements('sandbox')), 0)
        } finally {
          await refuse(chain, 'USDT', false)
        }
        const reverted = await settlement(store(), 'rep_c:USDT:out')
        assert.equal(reverted.status, 'FAILED')
        assert.equal(reverted.last_error, 'ON_CHAIN_REVERT')
        assert.match(String(reverted.tx_hash), /^0x[0-9a-f]{64}$/)
        assert.equal(await tokenBalance(chain, 'USDT', LENDING as Hex), 1_500_000_000n)
        const events = await operatorEvents(app)
        assert.deepEqual(
          events.map((e) => [e.event, e.data.settlement_id, e.data.tx_hash, e.data.reason]),
          [
            ['settlement.confirmed', 'rep_a:USDT:out', paid.tx_hash, undefined],
            ['settlement.failed', 'rep_c:USDT:out', reverted.tx_hash, 'ON_CHAIN_REVERT'],
          ],
        )
        assert.equal((await settlement(store(), 'rep_b:USDT:out')).status, 'PENDING')
      } finally {
        await app.close()
      }
    })
  })
}
