import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'

/**
 * Where stablefx may send a webhook (SPEC §10: URLs resolving to private,
 * loopback or link-local addresses are refused in live). Pure: the URL rules
 * and the classification of an IP address; resolving names is the
 * transport's job, which applies the same rules to what it connects to.
 */

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'unique-local'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'ipv4-mapped'

/** Where webhooks of an environment may go. `allowPrivate` only ever holds in sandbox. */
export type UrlPolicy = { readonly environment: Environment; readonly allowPrivate: boolean }

export const URL_MAX_LENGTH = 2_048

type Range = { readonly prefix: bigint; readonly bits: number; readonly class: AddressClass }

function v4(text: string, bits: number, cls: AddressClass): Range {
  return { prefix: BigInt(parseIpv4(text) as number), bits, class: cls }
}

function v6(text: string, bits: number, cls: AddressClass): Range {
  return { prefix: parseIpv6(text) as bigint, bits, class: cls }
}

/** IANA special-purpose IPv4 registry; the first match wins. */
const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'private'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'reserved'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'reserved'),
  v4('203.0.113.0', 24, 'reserved'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'),
]

/** IANA special-purpose IPv6 registry; only global unicast (2000::/3) outside these is public. */
const IPV6_RANGES: readonly Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('::ffff:0:0', 96, 'ipv4-mapped'),
  v6('64:ff9b::', 96, 'reserved'),
  v6('64:ff9b:1::', 48, 'reserved'),
  v6('100::', 64, 'reserved'),
  v6('2001::', 32, 'reserved'),
  v6('2001:db8::', 32, 'reserved'),
  v6('2002::', 16, 'reserved'),
  v6('fc00::', 7, 'unique-local'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'private'),
  v6('ff00::', 8, 'multicast'),
]

const GLOBAL_UNICAST = v6('2000::', 3, 'public')

function inRange(value: bigint, width: number, range: Range): boolean {
  const shift = BigInt(width - range.bits)
  return value >> shift === range.prefix >> shift
}

export function parseIpv4(text: string): number | undefined {
  const match = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$/.exec(text)
  if (match === null) return undefined
  const parts = match.slice(1).map(Number)
  if (parts.some((part) => part > 255)) return undefined
  return parts.reduce((sum, part) => sum * 256 + part, 0)
}

export function parseIpv6(text: string): bigint | undefined {
  let s = text.toLowerCase()
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1)
  const zone = s.indexOf('%')
  if (zone >= 0) s = s.slice(0, zone)
  const lastColon = s.lastIndexOf(':')
  if (lastColon < 0) return undefined
  const tail = s.slice(lastColon + 1)
  if (tail.includes('.')) {
    const embedded = parseIpv4(tail)
    if (embedded === undefined) return undefined
    s = `${s.slice(0, lastColon + 1)}${(embedded >>> 16).toString(16)}:${(embedded & 0xffff).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const groupsOf = (part: string | undefined) => (part === undefined || part === '' ? [] : part.split(':'))
  const head = groupsOf(halves[0])
  const rest = groupsOf(halves[1])
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest]
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(Number.parseInt(group, 16)), 0n)
}

/** The class of an IP address, or undefined when the text is not one. */
export function classifyAddress(address: string): AddressClass | undefined {
  const ipv4 = parseIpv4(address)
  if (ipv4 !== undefined) {
    return IPV4_RANGES.find((range) => inRange(BigInt(ipv4), 32, range))?.class ?? 'public'
  }
  const ipv6 = parseIpv6(address)
  if (ipv6 === undefined) return undefined
  const special = IPV6_RANGES.find((range) => inRange(ipv6, 128, range))
  if (special !== undefined) return special.class
  return inRange(ipv6, 128, GLOBAL_UNICAST) ? 'public' : 'reserved'
}

/**
 * Public addresses always; loopback, private and unique-local ones only where
 * the policy allows local receivers (sandbox). Link-local (the cloud metadata
 * address 169.254.169.254 among them), unspecified, multicast, reserved and
 * IPv4-mapped addresses never.
 */
export function addressAllowed(cls: AddressClass, policy: UrlPolicy): boolean {
  if (cls === 'public') return true
  const local = cls === 'loopback' || cls === 'private' || cls === 'unique-local'
  return local && localReceiversAllowed(policy)
}

/** Local receivers (http, loopback, private) are a sandbox convenience, never live. */
export function localReceiversAllowed(policy: UrlPolicy): boolean {
  return policy.allowPrivate && policy.environment === 'sandbox'
}

/** Why these resolved addresses of `host` are refused, or undefined when every one is allowed. */
export function addressRefusal(
  host: string,
  addresses: readonly string[],
  policy: UrlPolicy,
): string | undefined {
  if (addresses.length === 0) return `${host} resolves to no address`
  for (const address of addresses) {
    const cls = classifyAddress(address) ?? 'reserved'
    if (!addressAllowed(cls, policy)) {
      return address === host
        ? `${host} is ${article(cls)} ${cls} address, which webhooks may not target in ${policy.environment}`
        : `${host} resolves to ${address}, ${article(cls)} ${cls} address, which webhooks may not target in ${policy.environment}`
    }
  }
  return undefined
}

function article(word: string): string {
  return /^([aeio]|un[^i])/.test(word) ? 'an' : 'a'
}

/** A URL's host as an address or a name: WHATWG URLs bracket IPv6 literals. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
}

/**
 * The rules a webhook URL must meet before any name is resolved: absolute
 * https (http only where local receivers are allowed: sandbox, by default),
 * no credentials or fragment in the URL, bounded length, and an IP literal
 * host must itself be allowed.
 */
export function checkWebhookUrl(text: string, policy: UrlPolicy): Result<URL> {
  if (text.length > URL_MAX_LENGTH)
    return fail('VALIDATION_ERROR', `url is longer than ${URL_MAX_LENGTH} characters`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return fail('VALIDATION_ERROR', 'url is not an absolute URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail('VALIDATION_ERROR', 'url must use https')
  }
  if (url.protocol === 'http:' && !localReceiversAllowed(policy)) {
    return fail(
      'VALIDATION_ERROR',
      policy.environment === 'live'
        ? 'url must use https in live'
        : 'url must use https (http is refused: STABLEFX_WEBHOOK_ALLOW_PRIVATE is off)',
    )
  }
  if (url.username !== '' || url.password !== '') {
    return fail(
      'VALIDATION_ERROR',
      'url must not carry credentials; authenticate deliveries by their signature',
    )
  }
  if (url.hash !== '') return fail('VALIDATION_ERROR', 'url must not have a fragment')
  const host = hostOf(url)
  if (classifyAddress(host) !== undefined) {
    const refusal = addressRefusal(host, [host], policy)
    if (refusal !== undefined) return fail('VALIDATION_ERROR', `url refused: ${refusal}`)
  }
  return ok(url)
}
