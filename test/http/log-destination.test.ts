/**
 * The log destination (src/http/log-destination.ts) on each kind of stdout:
 * a file keeps every line; a pipe read as fast as it is written loses none;
 * a pipe nobody reads, or whose reader is gone, never blocks the writer and
 * counts what it drops. The pipe cases run in a child process, whose fd 1
 * is the pipe.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createLogDestination, droppedLogLines } from '../../src/http/log-destination.ts'

/** A writer that blocks fails here instead of hanging the run. */
const T = { timeout: 10_000 }
const DESTINATION = join(import.meta.dirname, '../../src/http/log-destination.ts')

/**
 * A child that writes `batches` × 200 lines of 100 bytes to its stdout
 * through the destination, yielding to the event loop between batches, then
 * reports on stderr how long that took and how many lines it dropped.
 */
function writer(batches: number) {
  const script = `
    import { stdoutDestination, droppedLogLines } from ${JSON.stringify(DESTINATION)}
    const log = stdoutDestination()
    const started = performance.now()
    let n = 0
    for (let b = 0; b < ${batches}; b++) {
      for (let i = 0; i < 200; i++) log.write(String(n++).padStart(99, '.') + '\\n')
      await new Promise((resolve) => setImmediate(resolve))
    }
    const ms = performance.now() - started
    await log.flush(1000)
    process.stderr.write(JSON.stringify({ ms, dropped: droppedLogLines() }))
    process.exit(0)
  `
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
}

async function report(
  child: ReturnType<typeof writer>,
): Promise<{ ms: number; dropped: number; code: number }> {
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? -1)))
  return { ...JSON.parse(stderr), code }
}

describe('log destination', () => {
  it('a file gets every line, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stablefx-log-'))
    try {
      const fd = openSync(join(dir, 'log'), 'w')
      const log = createLogDestination(fd)
      log.write('one\n')
      log.write('two\nthree\n')
      closeSync(fd)
      assert.equal(readFileSync(join(dir, 'log'), 'utf8'), 'one\ntwo\nthree\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a closed descriptor drops and counts every line, without throwing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stablefx-log-'))
    try {
      const fd = openSync(join(dir, 'log'), 'w')
      closeSync(fd)
      const before = droppedLogLines()
      const log = createLogDestination(fd)
      log.write('lost\n')
      log.write('lost too\nand this\n')
      assert.equal(droppedLogLines() - before, 3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a pipe that is read gets every line, in order, and drops none', T, async () => {
    const child = writer(100)
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk
    })
    const result = await report(child)
    assert.deepEqual({ code: result.code, dropped: result.dropped }, { code: 0, dropped: 0 })
    const lines = stdout.split('\n')
    assert.equal(lines.length, 20_001)
    assert.equal(lines[19_999], '19999'.padStart(99, '.'))
  })

  it(
    'a pipe nobody reads never blocks the writer; what does not fit in 1 MiB is dropped and counted',
    T,
    async () => {
      // 60,000 lines of 100 bytes: 6 MB against a pipe of a few hundred KiB and 1 MiB waiting in memory.
      const child = writer(300)
      const result = await report(child)
      child.stdout.destroy()
      assert.equal(result.code, 0)
      assert.ok(result.dropped > 40_000, `dropped ${result.dropped}`)
      assert.ok(result.dropped < 60_000, `dropped ${result.dropped}`)
      assert.ok(result.ms < 2_000, `writing took ${result.ms} ms`)
    },
  )

  it('a pipe whose reader is gone drops everything after the first failed write', T, async () => {
    const child = writer(100)
    child.stdout.destroy()
    const result = await report(child)
    assert.equal(result.code, 0)
    // Everything but what the first writes put in the pipe before its reader closed.
    assert.ok(result.dropped > 19_000, `dropped ${result.dropped}`)
  })
})
