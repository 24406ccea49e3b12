/**
 * Real stablefx processes for the several-nodes and crash suites
 * (test/cluster/): each node is `node bin/stablefx.js serve` on a port of its
 * own, on a database the suite shares between them; nodes are killed and
 * restarted as an operator (or a crash) would. Plain `fetch` talks to them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const CLUSTER_ADMIN = 'adm_cluster_test_0123456789abcdefghijklmn'
export const CLUSTER_SECRETS_KEY = '5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2'
export const CLUSTER_OPS = 'ops_cluster_test_0123456789abcdefghijklmn'
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'stablefx.js')
/** How many log lines of a node are kept for a failure message. */
const LOG_TAIL = 60

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

export type ClusterNode = {
  readonly name: string
  readonly url: string
  /** The running process's pid, undefined while it is down. */
  pid(): number | undefined
  /** Starts the process and waits until /ready answers 200. */
  start(): Promise<void>
  /** Sends a signal and waits for the process to exit; returns its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
  /** The last lines the node wrote, for failure messages. */
  logs(): string
}

export function clusterNode(options: {
  name: string
  port: number
  databaseUrl: string
  env?: Record<string, string>
}): ClusterNode {
  const dataDir = mkdtempSync(join(tmpdir(), `stablefx-${options.name}-`))
  const url = `http://127.0.0.1:${options.port}`
  const tail: string[] = []
  let child: ChildProcess | undefined
  let exited: Promise<number | null> = Promise.resolve(null)
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line !== '') tail.push(line)
    tail.splice(0, Math.max(0, tail.length - LOG_TAIL))
  }
  return {
    name: options.name,
    url,
    pid: () => (child?.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async start() {
      const started = spawn(process.execPath, [BIN, 'serve'], {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: options.databaseUrl,
          PORT: String(options.port),
          HOST: '127.0.0.1',
          STABLEFX_ADMIN_TOKEN: CLUSTER_ADMIN,
          STABLEFX_OPS_TOKEN: CLUSTER_OPS,
          STABLEFX_DATA_DIR: dataDir,
          // One key for every node: a secret sealed on one node is read on the others.
          STABLEFX_SECRETS_KEY: CLUSTER_SECRETS_KEY,
          LOG_LEVEL: 'warn',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = started
      started.stdout?.on('data', keep)
      started.stderr?.on('data', keep)
      exited = new Promise((resolve) => started.once('exit', (code) => resolve(code)))
      const deadline = Date.now() + 30_000
      for (;;) {
        if (started.exitCode !== null)
          throw new Error(`${options.name} exited while starting:\n${tail.join('\n')}`)
        const ready = await fetch(`${url}/ready`).then(
          (response) => response.status === 200,
          () => false,
        )
        if (ready) return
        if (Date.now() > deadline)
          throw new Error(`${options.name} not ready after 30 s:\n${tail.join('\n')}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return exited
      child.kill(signal)
      return exited
    },
    logs: () => tail.join('\n'),
  }
}

export type Answer = {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: the suites read JSON answers of every route's shape.
  body: any
  text: string
}

/** One HTTP call; a network failure (node down, connection cut) rejects. */
export async function call(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: response.status, headers: response.headers, body: parsed, text }
}

export const adminHeaders = { authorization: `Bearer ${CLUSTER_ADMIN}` }
export const opsHeaders = { authorization: `Bearer ${CLUSTER_OPS}` }

export type ClusterPartner = { id: string; headers: Record<string, string> }

/** Provisions a partner through a node's admin API; its keys work on every node (they are in the database). */
export async function provisionPartner(
  node: ClusterNode,
  body: Record<string, unknown>,
): Promise<ClusterPartner> {
  const created = await call('POST', `${node.url}/admin/v1/partners`, adminHeaders, body)
  if (created.status !== 201) throw new Error(`partner creation failed: ${created.text}`)
  return {
    id: created.body.partner_id,
    headers: {
      authorization: `Bearer ${created.body.sandbox_api_key}`,
      'x-partner-id': created.body.partner_id,
    },
  }
}

/** Polls `check` every 25 ms until it returns true; returns how long that took, or throws after `timeoutMs`. */
export async function within(
  timeoutMs: number,
  what: string,
  check: () => Promise<boolean>,
): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await check()) return performance.now() - started
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
