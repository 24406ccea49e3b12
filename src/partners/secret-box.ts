import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * Secrets stablefx must read back (the webhook signing secrets, SPEC §9, §10)
 * are stored sealed with AES-256-GCM under the process's secrets key
 * (STABLEFX_SECRETS_KEY, or the key kept in the data directory). API keys
 * are never sealed: only their hash is needed, so only their hash is kept.
 *
 * A sealed value reads `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url
 * parts); the key id, the first 8 bytes of the key's SHA-256, names which key
 * opens it, so a node with the wrong key says so instead of failing to verify.
 */
export type SecretBox = {
  readonly keyId: string
  seal(plaintext: string, context: string): string
  open(sealed: string, context: string): string
}

export const SECRETS_KEY_BYTES = 32

/** Reads a 32-byte key given as 64 hex digits or as base64 (standard or url-safe); undefined when it is not one. */
export function parseSecretsKey(text: string): Buffer | undefined {
  const trimmed = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex')
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined
  const bytes = Buffer.from(trimmed.replaceAll('-', '+').replaceAll('_', '/'), 'base64')
  return bytes.length === SECRETS_KEY_BYTES ? bytes : undefined
}

export function generateSecretsKey(): Buffer {
  return randomBytes(SECRETS_KEY_BYTES)
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url')
}

/**
 * `context` is bound into the ciphertext as associated data (the row's
 * partner id): a sealed value copied onto another partner's row does not open.
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== SECRETS_KEY_BYTES) throw new Error(`a secrets key is ${SECRETS_KEY_BYTES} bytes`)
  const keyId = keyIdOf(key)
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'))
      return ['v1', keyId, ...parts].join('.')
    },
    open(sealed, context) {
      const [version, id, iv, tag, ciphertext] = sealed.split('.')
      if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('not a sealed secret')
      }
      if (id !== keyId) {
        throw new Error(
          `secret sealed under key ${id}, this node has key ${keyId}: set the same STABLEFX_SECRETS_KEY on every node`,
        )
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8')
    },
  }
}

/**
 * The keys this process can open secrets with. `signingSecrets(db, partnerId,
 * nowMs)` is the webhook engineer's interface and carries no key, so the
 * composition root (createStablefx) registers its key here; several in-process
 * nodes (tests) register theirs side by side, and a value opens with the key
 * its key id names.
 */
const keyring = new Map<string, SecretBox>()

export function registerSecretBox(box: SecretBox): SecretBox {
  keyring.set(box.keyId, box)
  return box
}

export function openWithKeyring(sealed: string, context: string): string {
  const id = sealed.split('.')[1] ?? ''
  const box = keyring.get(id)
  if (box === undefined) {
    throw new Error(
      `secret sealed under key ${id}, which this process does not have: set the same STABLEFX_SECRETS_KEY on every node`,
    )
  }
  return box.open(sealed, context)
}

let processKey: Buffer | undefined

/**
 * The key of a stablefx built without one (tests, embedding): random, kept
 * for the life of the process so in-process nodes share it. `npm start`
 * always passes a durable key (STABLEFX_SECRETS_KEY or the data directory's).
 */
export function processSecretsKey(): Buffer {
  processKey ??= generateSecretsKey()
  return processKey
}
