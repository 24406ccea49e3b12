/**
 * The README walkthrough, run as a newcomer would run it: every ```sh block of README.md, in order, in ONE
 * bash process (variables and functions carry from block to block; `set -o pipefail`, no `set -e`), with the
 * working directory a fresh temporary folder in which a fresh server (`node bin/stablefx.js serve` on the
 * default port 8080, or on a free port with `127.0.0.1:8080` rewritten in the blocks when 8080 is taken)
 * keeps `data/admin-token`, `data/ops-token` and its SQLite file. The folder looks like a clone to the
 * examples: `node_modules` and `bin` are links to the repository's; `npx stablefx …` runs the repository's
 * bin (a bash function, exported).
 *
 * Which blocks do not run (the rule, applied by `skipReason` below):
 *  - `npm install`, `npm test`, `npm start` (or `npm run …`): installing is CI's first step, the suite is
 *    what runs this test, and the harness starts the server itself; so are the blocks that start another
 *    server in the foreground with `npm start` (PostgreSQL, several nodes, the EVM node, HTTP feeds);
 *  - blocks that need an external service: `createdb` or a `postgres://` URL (a PostgreSQL server);
 *  - `npx stablefx serve`, and `npx stablefx sim …` in the foreground (not ended by `&`): they run until
 *    stopped;
 *  - blocks whose commands have `<placeholders>` to fill in (`partners show <id>`);
 *  - except: a block introduced as a terminal of its own ("Terminal 1, the chain:") whose command is
 *    `npm start` or a simulator runs in the background, as in that terminal (`npm start` is what it
 *    runs, `node bin/stablefx.js serve`), its output kept apart, until the end; the blocks after it wait
 *    for it as a reader would;
 *  - a block whose first line is `# not run by the walkthrough test: <why>` (used sparingly, for honest
 *    reasons: see the README).
 *
 * Checks: every command of every run block succeeds (an ERR trap records the block, line and command; a
 * syntax error counts), the server logs no 5xx and nothing at level error or fatal, no body curl printed
 * is a 5xx error body or an UNAUTHORIZED one (an empty `$KEY` or `$PARTNER`), no `node -p "require(…)"`
 * read an empty or broken file, the examples wrote nothing into the clone's folder but under data/, and
 * nothing was written into the repository (`git status --porcelain` before and after).
 */
import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { HTTP_STATUS } from '../../src/http/errors.ts'

const REPO = join(import.meta.dirname, '..', '..')
const WALL_LIMIT_MS = 150_000
const FIXED_PORTS = [9090, 9101, 9102, 9103, 3000, 8545]

/** `terminal`: the block is introduced as a terminal of its own ("Terminal 2, …:"). */
type Block = { line: number; text: string; terminal: boolean }

/** The ```sh blocks of a markdown text, with the line of their opening fence. */
export function shellBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    // a fence may be indented (inside a list item); its lines then carry the same indentation
    const fence = /^( *)```sh\s*$/.exec(lines[i]!)
    if (!fence) continue
    const indent = fence[1]!
    const start = i + 1
    let end = start
    while (end < lines.length && !lines[end]!.trimStart().startsWith('```')) end++
    const text = lines.slice(start, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
    let before = i - 1
    while (before >= 0 && lines[before]!.trim() === '') before--
    const terminal = before >= 0 && /^Terminal \d+\b/.test(lines[before]!)
    blocks.push({ line: i + 1, text: text.join('\n'), terminal })
    i = end
  }
  return blocks
}

/** A terminal of its own whose command runs until stopped: started in the background, as in that terminal. */
export function runsInBackground(block: Block): boolean {
  if (!block.terminal) return false
  const reason = skipReason(block.text)
  return reason === 'npm install/test/start' ? /\bnpm start\b/.test(block.text) : reason === SIM_FOREGROUND
}

export const SIM_FOREGROUND = 'runs a simulator in the foreground until stopped'

/** Why a block is not run, or null when it runs (the rule in the header comment). */
export function skipReason(text: string): string | null {
  const first = text.split('\n')[0] ?? ''
  const optOut = /^# not run by the walkthrough test: (.+)$/.exec(first)
  if (optOut) return `opted out: ${optOut[1]}`
  // commands only: comments and heredoc bodies do not count
  const commands = text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, ''))
    .join('\n')
  if (/\bnpm (install|ci|test|start|run)\b/.test(commands)) return 'npm install/test/start'
  if (/\bcreatedb\b|postgres:\/\//.test(commands)) return 'needs a PostgreSQL server'
  if (/\bstablefx serve\b/.test(commands)) return 'runs a server until stopped'
  const joined = commands.replaceAll('\\\n', ' ')
  if (/\bstablefx sim \S+(?![^\n]*&\s*$)/m.test(joined)) return SIM_FOREGROUND
  if (/\s<[a-z_][a-z_ ]*>/i.test(commands)) return 'has <placeholders> to fill in'
  return null
}

function freePort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(null))
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      const chosen = typeof address === 'object' && address ? address.port : null
      server.close(() => resolve(chosen))
    })
  })
}

function gitStatus(): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['status', '--porcelain', ...args], { cwd: REPO, encoding: 'utf8' })
  // every file git sees, and the ignored ones by folder (a write into the repository's data/ must show)
  return (
    git('--untracked-files=all') + git('--untracked-files=normal', '--ignored').replace(/^(?!!!).*\n/gm, '')
  )
}

/** An environment without the caller's stablefx settings (the walkthrough uses the defaults). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(STABLEFX_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|npm_|NODE_TEST|NODE_OPTIONS$)/.test(k)) continue
    env[k] = v
  }
  return { ...env, ...extra }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    } catch {}
    return
  }
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {}
}

async function waitReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the server stopped at start:\n${log()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the server was not ready in 30 s:\n${log()}`)
}

const HARNESS = `set -o pipefail
set -E
npx() { if [ "$1" = stablefx ]; then shift; node "$WALK_REPO/bin/stablefx.js" "$@"; else command npx "$@"; fi; }
export -f npx
npm() { if [ "$1" = start ]; then shift; node "$WALK_REPO/bin/stablefx.js" serve "$@"; else command npm "$@"; fi; }
__walk_block=0
trap '__walk_status=$?; echo "__WALK_ERR block@\${__walk_block} line \${LINENO}: exit \${__walk_status}: \${BASH_COMMAND}" >&2' ERR
`

test('the README walkthrough runs verbatim against a fresh server', {
  timeout: WALL_LIMIT_MS + 30_000,
}, async (t) => {
  const before = gitStatus()
  const blocks = shellBlocks(readFileSync(join(REPO, 'README.md'), 'utf8'))
  assert.ok(blocks.length > 10, 'the README has its shell blocks')

  let port = await freePort(8080)
  if (port === null) {
    port = await freePort(0)
    t.diagnostic(`port 8080 is taken; the walkthrough runs on ${port} with 127.0.0.1:8080 rewritten`)
  }
  assert.ok(port !== null)
  // the ports the examples give their receivers, simulators, the EVM node and its server
  for (const fixed of FIXED_PORTS) {
    assert.ok((await freePort(fixed)) !== null, `port ${fixed} is taken: the README examples need it free`)
  }

  const root = mkdtempSync(join(tmpdir(), 'stablefx-walk-'))
  const work = join(root, 'clone')
  const scripts = join(root, 'blocks')
  mkdirSync(work)
  mkdirSync(scripts)
  symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'))
  symlinkSync(join(REPO, 'bin'), join(work, 'bin'))

  let serverLog = ''
  const server = spawn(process.execPath, [join(REPO, 'bin', 'stablefx.js'), 'serve'], {
    cwd: work,
    env: cleanEnv({ PORT: String(port), LOG_LEVEL: 'info' }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout!.on('data', (d) => (serverLog += d))
  server.stderr!.on('data', (d) => (serverLog += d))
  let bash: ChildProcess | undefined
  try {
    await waitReady(`http://127.0.0.1:${port}/ready`, server, () => serverLog)

    const run: Block[] = []
    for (const block of blocks) {
      const reason = runsInBackground(block) ? null : skipReason(block.text)
      if (reason !== null) {
        t.diagnostic(`README.md:${block.line} not run (${reason})`)
        continue
      }
      run.push(block)
    }
    let script = HARNESS
    const terminals: string[] = []
    for (const block of run) {
      const file = join(scripts, `block-${block.line}.sh`)
      writeFileSync(file, `${block.text.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`)}\n`)
      if (runsInBackground(block)) {
        const log = join(scripts, `terminal-${block.line}.log`)
        terminals.push(log)
        script += `( source '${file}' ) > '${log}' 2>&1 &\nsleep 1\n`
        continue
      }
      script += `__walk_block=${block.line}\necho "__WALK_BEGIN ${block.line}"\nsource '${file}'\necho\necho "__WALK_END ${block.line}"\n`
    }
    script += 'trap - ERR\necho __WALK_DONE\nkill $(jobs -p) 2>/dev/null\nwait 2>/dev/null\nexit 0\n'
    writeFileSync(join(scripts, 'walk.sh'), script)

    let out = ''
    let err = ''
    const started = Date.now()
    bash = spawn('bash', [join(scripts, 'walk.sh')], {
      cwd: work,
      env: cleanEnv({
        WALK_REPO: REPO,
        PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
      }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    bash.stdout!.on('data', (d) => (out += d))
    bash.stderr!.on('data', (d) => (err += d))
    const done = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), WALL_LIMIT_MS)
      const poll = setInterval(() => {
        if (out.includes('__WALK_DONE')) {
          clearTimeout(timer)
          clearInterval(poll)
          resolve(true)
        }
      }, 100)
      bash!.once('exit', () => {
        clearTimeout(timer)
        clearInterval(poll)
        resolve(out.includes('__WALK_DONE'))
      })
    })
    await new Promise((r) => setTimeout(r, 300))
    t.diagnostic(
      `${run.length} of ${blocks.length} blocks ran in ${Math.round((Date.now() - started) / 1000)} s`,
    )
    if (process.env.WALK_KEEP_OUTPUT)
      writeFileSync(process.env.WALK_KEEP_OUTPUT, `${out}\n--- stderr\n${err}\n--- server\n${serverLog}`)

    const problems: string[] = []
    if (!done) problems.push(`the walkthrough did not finish in ${WALL_LIMIT_MS / 1000} s`)
    for (const line of err.split('\n')) if (line.startsWith('__WALK_ERR')) problems.push(line.slice(11))
    if (/Unexpected end of JSON input|SyntaxError/.test(out + err))
      problems.push('a node -p extraction read a broken file')
    const fatal = Object.entries(HTTP_STATUS)
      .filter(([, status]) => status >= 500)
      .map(([code]) => code)
    for (const m of out.matchAll(/"code":"([A-Z_]+)"/g)) {
      if (fatal.includes(m[1]!) || m[1] === 'UNAUTHORIZED')
        problems.push(`a curl printed ${m[0]}: ${context(out, m.index)}`)
    }
    const logs = [
      serverLog,
      ...terminals.filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')),
    ].join('\n')
    for (const line of logs.split('\n')) {
      if (/"statusCode":5\d\d|"level":(50|60)/.test(line)) problems.push(`server: ${line.slice(0, 400)}`)
    }
    if (problems.length > 0) {
      assert.fail(`${problems.join('\n')}\n--- stderr (tail)\n${err.slice(-3000)}`)
    }
    // in a clone the examples write only under data/ (the server's) or in a temporary folder
    assert.deepEqual(
      readdirSync(work).sort(),
      ['bin', 'data', 'node_modules'],
      'the examples write no file in the clone',
    )
    const was = new Set(before.split('\n'))
    const written = gitStatus()
      .split('\n')
      .filter((line) => !was.has(line))
    assert.deepEqual(written, [], 'nothing is written into the repository')
  } finally {
    if (bash) killGroup(bash)
    killGroup(server)
    await new Promise((r) => setTimeout(r, 500))
    if (bash) killGroup(bash)
    killGroup(server)
    rmSync(root, { recursive: true, force: true })
  }
})

/** The README block an output offset is in, and the output around it. */
function context(out: string, index: number): string {
  const begin = out.lastIndexOf('__WALK_BEGIN', index)
  const block = begin < 0 ? '?' : out.slice(begin + 13, out.indexOf('\n', begin))
  return `README.md block at line ${block}: …${out.slice(Math.max(0, index - 200), index + 200)}…`
}

test('the blocks are read in order, indented ones too, and the skip rule names why', () => {
  const markdown = [
    '# t',
    '```sh',
    'A=1',
    '```',
    '1. a list',
    '',
    '   ```sh',
    '   echo "$A"',
    '   ```',
    'Terminal 1, the chain:',
    '',
    '```sh',
    'npx stablefx sim chain > /tmp/chain.env',
    '```',
    '```dotenv',
    'X=<your node>',
    '```',
  ].join('\n')
  assert.deepEqual(shellBlocks(markdown), [
    { line: 2, text: 'A=1', terminal: false },
    { line: 7, text: 'echo "$A"', terminal: false },
    { line: 12, text: 'npx stablefx sim chain > /tmp/chain.env', terminal: true },
  ])
  assert.equal(runsInBackground(shellBlocks(markdown)[2]!), true)
  assert.equal(skipReason('npm install && npm start'), 'npm install/test/start')
  assert.equal(skipReason('createdb stablefx'), 'needs a PostgreSQL server')
  assert.equal(skipReason('npx stablefx serve   # what npm start runs'), 'runs a server until stopped')
  assert.equal(skipReason('npx stablefx sim issuer --port 9101 \\\n  --asset IDRX &\nSIM=$!'), null)
  assert.equal(skipReason('npx stablefx sim issuer --port 9101'), SIM_FOREGROUND)
  assert.equal(skipReason('npx stablefx partners show <id>'), 'has <placeholders> to fill in')
  assert.equal(skipReason("cat <<'EOF'\nx\nEOF"), null)
  assert.equal(
    skipReason('# not run by the walkthrough test: needs a bank\ncurl x'),
    'opted out: needs a bank',
  )
  assert.equal(skipReason('curl -s http://127.0.0.1:8080/ready   # npm start first'), null)
})
