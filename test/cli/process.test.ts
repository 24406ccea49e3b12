/**
 * The real server process, as an operator runs it: `npm start` passes
 * SIGTERM on to the server (no orphan keeps the port), and a stdout that
 * nobody reads, or whose reader is gone, neither stops the server nor its
 * exit. LOG_LEVEL=debug makes every request write a log line.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'

const ROOT = join(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/stablefx.js')
const T = { timeout: 30_000 }

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** A temporary data directory and database, and the environment of a server on a free port. */
async function serverEnv(t: TestContext, extra: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'stablefx-proc-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const port = await freePort()
  const env = {
    ...process.env,
    DATABASE_URL: `file:${join(dir, 'x.db')}`,
    STABLEFX_DATA_DIR: dir,
    STABLEFX_ORACLE: 'manual',
    PORT: String(port),
    ...extra,
  }
  return { env, port, url: `http://127.0.0.1:${port}`, dir }
}

/**
 * A real pipe for the server's stdout, as `stablefx serve | reader` makes
 * (child_process's own 'pipe' is a socket pair): a FIFO whose reading end
 * the test holds and never reads, and may close.
 */
function pipeForStdout(
  t: TestContext,
  dir: string,
): { readFd: number; writeFd: number; closeReader(): void } {
  const path = join(dir, 'stdout.fifo')
  execFileSync('mkfifo', [path])
  // Opening the reading end without blocking first lets the writing end open at once.
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  const writeFd = openSync(path, constants.O_WRONLY)
  let open = true
  const closeReader = () => {
    if (open) closeSync(readFd)
    open = false
  }
  t.after(closeReader)
  return { readFd, writeFd, closeReader }
}

/** `node bin/stablefx.js serve` with the pipe's writing end as stdout (the test keeps no copy of it). */
function serveInto(env: NodeJS.ProcessEnv, pipe: { writeFd: number }): ChildProcess {
  const server = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', pipe.writeFd, 'pipe'] })
  closeSync(pipe.writeFd)
  return server
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = performance.now() + 15_000
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output()}`)
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`server did not answer /health: ${output()}`)
}

function exited(child: ChildProcess): Promise<{ code: number | null; atMs: number }> {
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, atMs: performance.now() })
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, atMs: performance.now() })))
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Every process below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name (which may hold spaces) start at the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(Number(entry), ppid)
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = []
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child)
        walk(child)
      }
    }
  }
  walk(pid)
  return found
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

/** `total` GET /health calls, `concurrency` at a time, each with a 64-character request id (a longer log line). */
async function hammer(url: string, total: number, concurrency = 32): Promise<void> {
  let next = 0
  const headers = { 'x-request-id': 'r'.repeat(64) }
  const worker = async () => {
    while (next < total) {
      next++
      const response = await fetch(`${url}/health`, { headers, signal: AbortSignal.timeout(5_000) })
      await response.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

async function droppedLines(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) })).text()
  const match = /^stablefx_log_lines_dropped_total (\d+)$/m.exec(text)
  assert.ok(match, 'the dropped-lines counter is exported')
  return Number(match[1])
}

describe('the server process', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it(
    'npm start passes SIGTERM to the server: the port is freed and no server process remains',
    T,
    async (t) => {
      const { env, port, url } = await serverEnv(t)
      const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      npm.stdout.on('data', (chunk) => {
        output += chunk
      })
      npm.stderr.on('data', (chunk) => {
        output += chunk
      })
      const servers: number[] = []
      t.after(() => {
        for (const pid of servers) if (alive(pid)) process.kill(pid, 'SIGKILL')
      })
      await waitForHealth(url, npm, () => output)
      const below = descendants(npm.pid as number)
      // The node process running the server (without `exec`, a shell sits between npm and it).
      servers.push(...below.filter((pid) => /^\S*node bin\/stablefx\.js serve/.test(commandLine(pid))))
      assert.equal(servers.length, 1, `processes below npm: ${below.map(commandLine).join(' | ')}`)
      const stopAt = performance.now()
      npm.kill('SIGTERM')
      const npmExit = await exited(npm)
      const deadline = performance.now() + 5_000
      while (alive(servers[0] as number) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      assert.equal(alive(servers[0] as number), false, 'the server outlived npm')
      assert.equal(await refused(port), true, 'the port is still open')
      assert.match(output, /"msg":"shutdown complete"/)
      t.diagnostic(`npm exited ${npmExit.code} ${(npmExit.atMs - stopAt).toFixed(0)} ms after SIGTERM`)
    },
  )

  it('keeps serving and exits 0 when nobody reads its stdout', T, async (t) => {
    const { env, url, dir } = await serverEnv(t, { LOG_LEVEL: 'debug' })
    // stdout is a pipe this test never reads; stderr is read, for diagnostics.
    const server = serveInto(env, pipeForStdout(t, dir))
    t.after(() => {
      if (server.exitCode === null) server.kill('SIGKILL')
    })
    let stderr = ''
    server.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    await waitForHealth(url, server, () => stderr)
    // 7,500 request lines of about 200 bytes: 1.5 MB, over twenty times the 64 KiB pipe, beyond the 1 MiB queue.
    const started = performance.now()
    await hammer(url, 7_500)
    t.diagnostic(`7,500 requests in ${(performance.now() - started).toFixed(0)} ms`)
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })
    assert.deepEqual(await health.json(), { status: 'ok' })
    const dropped = await droppedLines(url)
    const stopAt = performance.now()
    server.kill('SIGTERM')
    const exit = await exited(server)
    assert.equal(exit.code, 0, stderr)
    // The drain has 25 s; the exit waits at most 1 s for the log reader, which never comes.
    assert.ok(exit.atMs - stopAt < 5_000, `exited ${(exit.atMs - stopAt).toFixed(0)} ms after SIGTERM`)
    assert.ok(dropped > 0, `dropped ${dropped}`)
    t.diagnostic(`dropped ${dropped} lines; exited ${(exit.atMs - stopAt).toFixed(0)} ms after SIGTERM`)
  })

  it('keeps serving and exits 0 when the reader of its stdout is gone', T, async (t) => {
    const { env, url, dir } = await serverEnv(t, { LOG_LEVEL: 'debug' })
    const pipe = pipeForStdout(t, dir)
    const server = serveInto(env, pipe)
    t.after(() => {
      if (server.exitCode === null) server.kill('SIGKILL')
    })
    let stderr = ''
    server.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    await waitForHealth(url, server, () => stderr)
    // The reader goes away, as `serve | sleep 6` does after 6 s: the server's next write fails with EPIPE.
    pipe.closeReader()
    await hammer(url, 2_000)
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })
    assert.deepEqual(await health.json(), { status: 'ok' })
    const dropped = await droppedLines(url)
    const stopAt = performance.now()
    server.kill('SIGTERM')
    const exit = await exited(server)
    assert.equal(exit.code, 0, stderr)
    assert.ok(exit.atMs - stopAt < 5_000, `exited ${(exit.atMs - stopAt).toFixed(0)} ms after SIGTERM`)
    // Lines written in the same turn as the one that failed are lost uncounted; every later one is counted.
    assert.ok(dropped >= 1_900, `dropped ${dropped}`)
    t.diagnostic(`dropped ${dropped} lines; exited ${(exit.atMs - stopAt).toFixed(0)} ms after SIGTERM`)
  })

  it('exits 0 on SIGTERM when the reader left before the shutdown lines (serve | sleep 6)', T, async (t) => {
    // At info level nothing more is logged after start, so the first write to the dead pipe is at shutdown.
    const { env, url, dir } = await serverEnv(t, { LOG_LEVEL: 'info' })
    const pipe = pipeForStdout(t, dir)
    const server = serveInto(env, pipe)
    t.after(() => {
      if (server.exitCode === null) server.kill('SIGKILL')
    })
    let stderr = ''
    server.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    await waitForHealth(url, server, () => stderr)
    pipe.closeReader()
    const stopAt = performance.now()
    server.kill('SIGTERM')
    const exit = await exited(server)
    assert.equal(exit.code, 0, stderr)
    assert.ok(exit.atMs - stopAt < 5_000, `exited ${(exit.atMs - stopAt).toFixed(0)} ms after SIGTERM`)
    t.diagnostic(`exited ${(exit.atMs - stopAt).toFixed(0)} ms after SIGTERM`)
  })
})
