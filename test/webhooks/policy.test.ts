/**
 * The pure webhook policy (SPEC §10): the retry schedule with jitter and
 * Retry-After, the address classes and URL rules, and signatures that the
 * `standardwebhooks` package accepts.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Webhook } from 'standardwebhooks'
import { ConfigError, loadSettings } from '../../src/config/settings.ts'
import {
  type AddressClass,
  addressRefusal,
  checkWebhookUrl,
  classifyAddress,
  type UrlPolicy,
} from '../../src/webhooks/address-policy.ts'
import { MAX_ATTEMPTS, nextRetry, parseRetryAfter } from '../../src/webhooks/retry-policy.ts'
import { signatureHeader, signedHeaders } from '../../src/webhooks/signing.ts'

const LIVE: UrlPolicy = { environment: 'live', allowPrivate: false }
const SANDBOX: UrlPolicy = { environment: 'sandbox', allowPrivate: true }
const SANDBOX_STRICT: UrlPolicy = { environment: 'sandbox', allowPrivate: false }

describe('retry schedule (SPEC §10)', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after attempts 1–7, then dead-letters', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => nextRetry(n, 0, undefined))
    assert.deepEqual(waits, [
      { kind: 'retry', delayMs: 5_000 },
      { kind: 'retry', delayMs: 300_000 },
      { kind: 'retry', delayMs: 1_800_000 },
      { kind: 'retry', delayMs: 7_200_000 },
      { kind: 'retry', delayMs: 18_000_000 },
      { kind: 'retry', delayMs: 36_000_000 },
      { kind: 'retry', delayMs: 36_000_000 },
    ])
    assert.equal(MAX_ATTEMPTS, 8)
    assert.deepEqual(nextRetry(8, 0, undefined), { kind: 'dead' })
  })

  it('jitter adds up to 10% and never shortens a wait', () => {
    assert.deepEqual(nextRetry(1, 0.5, undefined), { kind: 'retry', delayMs: 5_250 })
    assert.deepEqual(nextRetry(3, 0.999, undefined), { kind: 'retry', delayMs: 1_979_820 })
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (n, random) => {
          const base = nextRetry(n, 0, undefined) as { delayMs: number }
          const jittered = nextRetry(n, random, undefined) as { delayMs: number }
          return jittered.delayMs >= base.delayMs && jittered.delayMs <= base.delayMs * 1.1
        },
      ),
    )
  })

  it('a longer Retry-After wins, capped at 24 h; a shorter one is ignored', () => {
    assert.deepEqual(nextRetry(1, 0, 120_000), { kind: 'retry', delayMs: 120_000 })
    assert.deepEqual(nextRetry(3, 0, 60_000), { kind: 'retry', delayMs: 1_800_000 })
    assert.deepEqual(nextRetry(1, 0, 999_999_000), { kind: 'retry', delayMs: 86_400_000 })
  })

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 10, 23, 0, 0, 0)
    assert.equal(parseRetryAfter('120', now), 120_000)
    assert.equal(parseRetryAfter(' 0 ', now), 0)
    assert.equal(parseRetryAfter('Mon, 23 Nov 2026 00:10:00 GMT', now), 600_000)
    assert.equal(parseRetryAfter('Sun, 22 Nov 2026 00:10:00 GMT', now), 0)
    assert.equal(parseRetryAfter(undefined, now), undefined)
    assert.equal(parseRetryAfter('soon', now), undefined)
    assert.equal(parseRetryAfter('-5', now), undefined)
    assert.equal(parseRetryAfter('2026-11-23', now), undefined)
  })
})

describe('address classes', () => {
  const table: [string, AddressClass | undefined][] = [
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'ipv4-mapped'],
    ['::ffff:93.184.216.34', 'ipv4-mapped'],
    ['64:ff9b::7f00:1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['example.com', undefined],
    ['1.2.3', undefined],
    ['256.1.1.1', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1::2::3', undefined],
  ]
  for (const [address, expected] of table) {
    it(`${address} is ${expected ?? 'not an address'}`, () =>
      assert.equal(classifyAddress(address), expected))
  }

  it('live allows public addresses only; sandbox also loopback, private and unique-local, never link-local', () => {
    assert.equal(addressRefusal('h', ['93.184.216.34'], LIVE), undefined)
    assert.equal(
      addressRefusal('rebind.example', ['93.184.216.34', '127.0.0.1'], LIVE),
      'rebind.example resolves to 127.0.0.1, a loopback address, which webhooks may not target in live',
    )
    assert.equal(addressRefusal('h', ['127.0.0.1', '10.0.0.1', 'fd00::1'], SANDBOX), undefined)
    assert.equal(
      addressRefusal('h', ['169.254.169.254'], SANDBOX),
      'h resolves to 169.254.169.254, a link-local address, which webhooks may not target in sandbox',
    )
    assert.equal(
      addressRefusal('h', ['10.0.0.1'], SANDBOX_STRICT),
      'h resolves to 10.0.0.1, a private address, which webhooks may not target in sandbox',
    )
    // allowPrivate never applies to live, whatever the flag says.
    assert.notEqual(
      addressRefusal('h', ['127.0.0.1'], { environment: 'live', allowPrivate: true }),
      undefined,
    )
    assert.equal(addressRefusal('h', [], LIVE), 'h resolves to no address')
  })
})

describe('webhook URL rules', () => {
  const refused = (url: string, policy: UrlPolicy) => {
    const result = checkWebhookUrl(url, policy)
    return result.ok ? 'accepted' : result.message
  }
  it('refuses with a clear message', () => {
    assert.equal(refused('http://hooks.example.com/x', LIVE), 'url must use https in live')
    assert.equal(
      refused('http://hooks.example.com/x', SANDBOX_STRICT),
      'url must use https (http is refused: STABLEFX_WEBHOOK_ALLOW_PRIVATE is off)',
    )
    assert.equal(refused('ftp://hooks.example.com/x', SANDBOX), 'url must use https')
    assert.equal(refused('hooks.example.com/x', LIVE), 'url is not an absolute URL')
    assert.equal(
      refused('https://user:pw@hooks.example.com/x', LIVE),
      'url must not carry credentials; authenticate deliveries by their signature',
    )
    assert.equal(refused('https://hooks.example.com/x#frag', LIVE), 'url must not have a fragment')
    assert.equal(
      refused('https://127.0.0.1/x', LIVE),
      'url refused: 127.0.0.1 is a loopback address, which webhooks may not target in live',
    )
    // WHATWG URL parsing normalises other spellings of an address first.
    assert.equal(
      refused('https://2130706433/x', LIVE),
      'url refused: 127.0.0.1 is a loopback address, which webhooks may not target in live',
    )
    assert.equal(
      refused('https://0x7f.1/x', LIVE),
      'url refused: 127.0.0.1 is a loopback address, which webhooks may not target in live',
    )
    assert.equal(
      refused('https://[::ffff:127.0.0.1]/x', LIVE),
      'url refused: ::ffff:7f00:1 is an ipv4-mapped address, which webhooks may not target in live',
    )
    assert.equal(
      refused(`https://h.example.com/${'a'.repeat(2_048)}`, LIVE),
      'url is longer than 2048 characters',
    )
    assert.equal(refused('https://hooks.example.com/x?token=1', LIVE), 'accepted')
    assert.equal(refused('http://127.0.0.1:9000/x', SANDBOX), 'accepted')
  })
})

describe('signatures (Standard Webhooks)', () => {
  it('match a known vector', () => {
    // The standardwebhooks reference test vector.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const header = signatureHeader(
      [secret],
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    )
    assert.equal(header, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('verify with the standardwebhooks package, with every secret of a rotation', () => {
    const nowMs = Date.now()
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.uuid(),
        fc.string({ maxLength: 200 }),
        (a, b, id, text) => {
          const secrets = [
            `whsec_${Buffer.from(a).toString('base64')}`,
            `whsec_${Buffer.from(b).toString('base64')}`,
          ]
          const body = JSON.stringify({ text })
          const headers = signedHeaders(secrets, id, nowMs, body)
          for (const secret of secrets) assert.deepEqual(new Webhook(secret).verify(body, headers), { text })
          assert.throws(
            () => new Webhook(secrets[0] as string).verify(`${body} `, headers),
            /No matching signature/,
          )
        },
      ),
      { numRuns: 50 },
    )
  })
})

describe('STABLEFX_WEBHOOK_ALLOW_PRIVATE', () => {
  it('is on by default, takes on|off, and names itself when wrong', () => {
    assert.equal(loadSettings({}).webhookAllowPrivate, 'on')
    assert.equal(loadSettings({ STABLEFX_WEBHOOK_ALLOW_PRIVATE: 'off' }).webhookAllowPrivate, 'off')
    assert.throws(
      () => loadSettings({ STABLEFX_WEBHOOK_ALLOW_PRIVATE: 'yes' }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'STABLEFX_WEBHOOK_ALLOW_PRIVATE',
    )
  })
})
