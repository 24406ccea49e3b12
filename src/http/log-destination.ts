import { fstatSync, writeSync } from 'node:fs'
import { Socket } from 'node:net'

/**
 * Where log lines go, built so that logging can never stop the server.
 *
 * Node writes to a pipe or socket on fd 1 synchronously. When nobody reads
 * that pipe (a log shipper that hung, `serve | sleep`), every log line then
 * blocks the event loop, and at exit pino's flush spins forever on EPIPE
 * once the reader is gone. So when stdout is a pipe or a socket, lines go
 * through a non-blocking handle instead: what the reader has not taken yet
 * waits in memory up to MAX_PENDING_LOG_BYTES, lines beyond that are
 * dropped, and after the first write error (EPIPE: the reader is gone)
 * every line is dropped. Files and terminals keep ordinary synchronous
 * writes, which do not stall on a missing reader.
 *
 * Dropped lines are counted for the whole process (droppedLogLines), which
 * the `stablefx_log_lines_dropped_total` metric reads when scraped.
 */
export const MAX_PENDING_LOG_BYTES = 1024 * 1024

export type LogDestination = {
  /** Takes one line (or a few, newline-terminated); never blocks, never throws. */
  write(line: string): void
  /**
   * Resolves once the lines still waiting have been written, or after
   * `timeoutMs`, whichever comes first: an exit waits a moment for a slow
   * reader, never for one that is gone.
   */
  flush(timeoutMs: number): Promise<void>
}

let droppedTotal = 0

/** Log lines this process has dropped, in every destination, since it started. */
export function droppedLogLines(): number {
  return droppedTotal
}

type Writer = { write(line: string): void; pendingBytes(): number }

/** Counts the lines of a write that is dropped (one write may hold several: the start-up banner). */
function drop(line: string): void {
  let lines = 0
  for (let at = line.indexOf('\n'); at >= 0; at = line.indexOf('\n', at + 1)) lines++
  droppedTotal += Math.max(lines, 1)
}

function nonBlockingWriter(fd: number, maxPendingBytes: number): Writer {
  const socket = new Socket({ fd, readable: false, writable: true })
  let broken = false
  socket.on('error', () => {
    broken = true
    socket.destroy()
  })
  // A reader that stops reading must not keep the process alive through the writes still waiting for it.
  socket.unref()
  return {
    write(line) {
      if (broken || socket.destroyed || socket.writableLength > maxPendingBytes) return drop(line)
      socket.write(line)
    },
    pendingBytes: () => (broken || socket.destroyed ? 0 : socket.writableLength),
  }
}

function synchronousWriter(fd: number): Writer {
  let broken = false
  const write = (line: string) => {
    if (broken) return drop(line)
    try {
      const bytes = Buffer.from(line)
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written)
    } catch (error) {
      // EAGAIN: a terminal another process made non-blocking is full for now; anything else is final.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') broken = true
      drop(line)
    }
  }
  return { write, pendingBytes: () => 0 }
}

const CLOSED: Writer = { write: drop, pendingBytes: () => 0 }

function writerFor(fd: number, maxPendingBytes: number): Writer {
  try {
    const stat = fstatSync(fd)
    return stat.isFIFO() || stat.isSocket() ? nonBlockingWriter(fd, maxPendingBytes) : synchronousWriter(fd)
  } catch {
    // The descriptor is closed: there is nowhere to write.
    return CLOSED
  }
}

/**
 * A destination on an open file descriptor. It looks at the descriptor and
 * opens its handle on the first write, so a logger that never writes
 * (level `silent`) leaves the descriptor alone.
 */
export function createLogDestination(fd: number, options: { maxPendingBytes?: number } = {}): LogDestination {
  let writer: Writer | undefined
  return {
    write(line) {
      writer ??= writerFor(fd, options.maxPendingBytes ?? MAX_PENDING_LOG_BYTES)
      writer.write(line)
    },
    async flush(timeoutMs) {
      const deadline = performance.now() + timeoutMs
      while (writer !== undefined && writer.pendingBytes() > 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
  }
}

let stdout: LogDestination | undefined

/**
 * The process's one destination on stdout, shared by the server's logger and
 * the start-up lines: two handles on fd 1 would each keep their own queue.
 */
export function stdoutDestination(): LogDestination {
  stdout ??= createLogDestination(1)
  return stdout
}
