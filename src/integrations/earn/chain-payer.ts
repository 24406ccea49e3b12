import { encodeFunctionData, getAddress, type Hex } from 'viem'
import { ERC20_ABI } from '../../chain/evm/abi.ts'
import type { EvmSender } from '../../chain/evm/sender.ts'
import type { EvmSettings } from '../../chain/evm/settings.ts'
import type { AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'

/**
 * Issue 12, live settlement on chain: what we owe the venue is an ERC-20
 * transfer from the hot wallet, through the environment's EVM sender, so the
 * payment is idempotent on its reference (src/chain/evm/sender.ts): a retry,
 * from any node, after any crash, waits for the same transaction and never
 * signs a second one.
 */
export type EarnChainPayment = {
  /** `earn-settlement:<settlement id>`: one transaction per settlement, ever. */
  readonly reference: string
  readonly asset: AssetCode
  readonly to: string
  readonly amountMinor: bigint
}

export type EarnChainOutcome = {
  readonly status: 'CONFIRMED' | 'REVERTED' | 'DROPPED'
  readonly txHash: string
}

export type EarnChainPayer = {
  /** The environment whose chain this is (the EVM sender's). */
  readonly environment: Environment
  /** Resolves with the mined outcome; throws while the transfer is not confirmed in time (the caller asks again later). */
  pay(payment: EarnChainPayment): Promise<EarnChainOutcome>
}

export function createEvmEarnPayer(evm: { settings: EvmSettings; sender: EvmSender }): EarnChainPayer {
  return {
    environment: evm.settings.environment,
    async pay(payment) {
      const to = getAddress(payment.to) as Hex
      const outcome = await evm.sender.submit({
        reference: payment.reference,
        kind: 'transfer',
        contract: evm.settings.tokens[payment.asset],
        data: encodeFunctionData({
          abi: ERC20_ABI,
          functionName: 'transfer',
          args: [to, payment.amountMinor],
        }),
        fingerprint: `earn-settlement|${payment.asset}|${to}|${payment.amountMinor}`,
      })
      return { status: outcome.status, txHash: outcome.txHash }
    },
  }
}
