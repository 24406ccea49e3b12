import { keccak_256 } from '@noble/hashes/sha3.js'

/** Kaia is EVM-compatible: destination and wallet addresses are 20-byte hex with an optional EIP-55 checksum. */
const ADDRESS = /^0x[0-9a-fA-F]{40}$/

export type AddressCheck = { ok: true; address: string } | { ok: false; reason: string }

/** The EIP-55 mixed-case checksum form of an address. */
export function toChecksumAddress(address: string): string {
  const lower = address.slice(2).toLowerCase()
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(lower))).toString('hex')
  let out = '0x'
  for (let i = 0; i < lower.length; i++) {
    const char = lower[i] as string
    out += Number.parseInt(hash[i] as string, 16) >= 8 ? char.toUpperCase() : char
  }
  return out
}

/**
 * Accepts all-lowercase or all-uppercase hex as is; a mixed-case address must
 * carry a valid EIP-55 checksum, since a typo in one would otherwise send
 * funds to an address nobody controls. Returns the checksummed form.
 */
export function checkAddress(text: string): AddressCheck {
  if (!ADDRESS.test(text)) return { ok: false, reason: 'must be 0x followed by 40 hex digits' }
  const body = text.slice(2)
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase()
  const checksummed = toChecksumAddress(text)
  if (mixed && checksummed !== text) return { ok: false, reason: 'has an invalid EIP-55 checksum' }
  return { ok: true, address: checksummed }
}
