import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'

export type Server = { child: ChildProcess; url: string; output: () => string }

/** Starts a process and waits for it to print the URL it listens on. */
export function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // The bench ending any way (an error, a signal) must not leave servers behind.
  const killOnExit = () => child.kill('SIGTERM')
  process.once('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // A process that never became ready must not outlive the bench.
      child.kill('SIGKILL')
      reject(new Error(`did not start: ${output}`))
    }, 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk
      const match = /listening on (http:\/\/[0-9.:]+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1] as string, output: () => output })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)))
  })
}

export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve()
    server.child.removeAllListeners('exit')
    server.child.on('exit', () => resolve())
    server.child.kill('SIGTERM')
  })
}

/** Polls GET /ready until it answers 200 (the database answers), or throws after `timeoutMs`. */
export async function waitReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const status = await call('GET', `${url}/ready`, {}).then(
      (reply) => reply.status,
      () => 0,
    )
    if (status === 200) return
    if (performance.now() > deadline) throw new Error(`${url}/ready did not answer 200 (last ${status})`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 })

export type Reply = { status: number; body: string }

/** A small keep-alive HTTP client: the load generator should cost less than the server it measures. */
export function call(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request(
      url,
      {
        method,
        agent,
        headers:
          payload === undefined
            ? headers
            : {
                ...headers,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => {
          text += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    if (payload !== undefined) req.write(payload)
    req.end()
  })
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)
  return sortedMs[Math.max(0, index)] as number
}

export function fmt(value: number, digits = 1): string {
  return value.toFixed(digits)
}

const TICKS_PER_SECOND = 100

/** Linux: CPU seconds (user + system) a process used so far, from /proc; undefined where there is no /proc. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}

/** Linux: busy CPU seconds of the whole machine (every core; idle and I/O wait excluded), from /proc/stat. */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] as string
    const ticks = line.trim().split(/\s+/).slice(1).map(Number)
    const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0)
    return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}
