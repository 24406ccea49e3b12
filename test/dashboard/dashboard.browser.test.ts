/**
 * The operations dashboard end to end in headless Debian Chromium
 * (playwright-core drives /usr/bin/chromium; no browser is downloaded): the
 * page asks for a token, shows the data of a running server (a partner, five
 * executions, a rebalance) on a laptop-sized screen, keeps the token for the
 * tab, refuses a wrong one, switches environment, and renders a chart and a
 * non-blank screenshot. Without Chromium the suite says so in one line and
 * skips; with REQUIRE_BROWSER=1 (as CI sets) a missing Chromium fails it.
 *
 * DASHBOARD_SCREENSHOT_DIR=<dir> also keeps the screenshots there (how
 * docs/images/dashboard-*.png were made).
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { copyFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { chromium } from 'playwright-core'
import { listen, openApp } from '../risk/engine-support.ts'
import { OPS_TOKEN } from '../support/app.ts'
import { seedDashboard } from './support.ts'

// What the callbacks given to page.evaluate use: they run in the page, not in Node (whose types have no DOM).
type PageElement = { textContent: string | null; getBoundingClientRect(): { top: number } }
declare const document: {
  documentElement: { scrollWidth: number }
  getElementById(id: string): PageElement | null
  querySelector(selector: string): PageElement | null
}
declare const sessionStorage: { getItem(key: string): string | null }
type Canvas = {
  width: number
  height: number
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
const missing = !existsSync(CHROMIUM)
const required = process.env.REQUIRE_BROWSER === '1'
const skip =
  missing && !required ? `Chromium not found at ${CHROMIUM}; dashboard browser test skipped` : false
if (typeof skip === 'string') console.log(`# ${skip}`)

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, 'not a PNG')
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

describe('operations dashboard in Chromium', { skip }, () => {
  it('shows the pools, corridors, flows, batches and webhooks of a running server', {
    timeout: 90_000,
  }, async (t) => {
    assert.ok(!missing, `REQUIRE_BROWSER=1 but Chromium is not at ${CHROMIUM}`)
    const app = await openApp(t, 'sqlite', { rebalancer: false })
    await seedDashboard(app)
    const base = await listen(app)

    const scratch = mkdtempSync(join(tmpdir(), 'stablefx-dashboard-'))
    t.after(() => rmSync(scratch, { recursive: true, force: true }))
    const context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1366, height: 768 },
    })
    t.after(() => context.close())
    const page = context.pages()[0] ?? (await context.newPage())
    // Anything the page logs as an error (a script error, a refused inline script or style) fails the test.
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })

    // The page loads without a token and asks for one.
    const response = await page.goto(`${base}/dashboard`)
    assert.equal(response?.status(), 200)
    await page.locator('#login').waitFor({ state: 'visible' })
    await page.fill('#token', OPS_TOKEN)
    await page.click('#login button[type=submit]')
    await page.waitForSelector('body[data-loaded="true"]')
    assert.equal(await page.locator('#login').isVisible(), false)

    const text = (selector: string) => page.locator(selector).first().innerText()
    // Pools: the USDT Active pool took in $100,000 and gave $85,000 to the Reserve.
    assert.equal(await text('[data-pool="USDT-ACTIVE"] [data-field="balance"]'), '1,015,000')
    assert.equal(await text('[data-pool="USDT-RESERVE"] [data-field="balance"]'), '4,585,000')
    // Corridors: the state and its reason.
    assert.equal(await text('[data-corridor="USD-IDR"] [data-field="state"]'), 'PROTECT')
    assert.match(await text('[data-corridor="USD-IDR"]'), /IDRX Active pool at 80% of target/)
    assert.equal(await text('#system-state'), 'PROTECT')
    // Flows: five executions, $100,000 settled on USD-IDR, on a chart with a real size and drawn pixels.
    assert.equal(await text('#flow-totals [data-field="executions"]'), '5')
    assert.match(await text('#flow-totals'), /USD-IDR \$100,000/)
    const canvas = page.locator('#chart canvas').first()
    const box = await canvas.boundingBox()
    assert.ok(box !== null && box.width > 300 && box.height > 150, `chart box ${JSON.stringify(box)}`)
    const drawn = await canvas.evaluate((node) => {
      const c = node as unknown as Canvas
      const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? []
      let painted = 0
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) painted++
      return painted
    })
    assert.ok(drawn > 1000, `only ${drawn} chart pixels painted`)
    // Batches, webhooks, the sandbox clock.
    assert.equal(await text('#batch-kpis [data-field="rebalances"]'), '1')
    assert.match(await text('#batches'), /USD-IDR\s+long\s+OPEN\s+85,000 USDT\s+16,250/)
    assert.match(
      await text('#webhooks'),
      /Acme Ramp\s+http:\/\/127\.0\.0\.1:9\/stablefx\s+PENDING_VERIFICATION/,
    )
    assert.equal(await text('#clock'), 'Sandbox clock 2026-11-23 00:00:00Z (+0 s)')
    assert.equal(await text('[data-asset="USDT"] [data-field="tvl-a"]'), '0')

    // Laptop screen: the first two rows of panels fit in 1366×768 without a horizontal scroll.
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      batchesTop: document.getElementById('panel-batches')?.getBoundingClientRect().top ?? -1,
    }))
    assert.ok(layout.scrollWidth <= 1366, `page is ${layout.scrollWidth}px wide`)
    assert.ok(layout.batchesTop > 0 && layout.batchesTop < 768, `second row starts at ${layout.batchesTop}px`)

    // The screenshot is a 1366×768 PNG with real content (a blank page compresses to a few KB).
    const shot = join(scratch, 'dashboard.png')
    await page.screenshot({ path: shot })
    const png = readFileSync(shot)
    assert.deepEqual(pngSize(png), { width: 1366, height: 768 })
    assert.ok(statSync(shot).size > 40_000, `screenshot is only ${statSync(shot).size} bytes`)

    // The token is kept for the tab: a reload shows the data without asking again.
    await page.reload()
    await page.waitForSelector('body[data-loaded="true"]')
    assert.equal(await page.locator('#login').isVisible(), false)

    // The live environment: its pools start empty.
    await page.click('#environments button[data-value="live"]')
    await page.waitForFunction(
      () => document.querySelector('[data-pool="USDT-ACTIVE"] [data-field="balance"]')?.textContent === '0',
    )
    assert.match(await text('#clock'), /^Live clock 2026-11-23 00:00:00Z$/)
    const dir = process.env.DASHBOARD_SCREENSHOT_DIR
    if (dir !== undefined) {
      await page.click('#environments button[data-value="sandbox"]')
      await page.waitForFunction(
        () =>
          document.querySelector('[data-pool="USDT-ACTIVE"] [data-field="balance"]')?.textContent ===
          '1,015,000',
      )
      await page.screenshot({ path: join(scratch, 'again.png') })
      await copyFile(join(scratch, 'again.png'), join(dir, 'dashboard-sandbox.png'))
    }

    // Sign out, then a wrong token: refused, and the page asks again.
    await page.click('#signout')
    await page.locator('#login').waitFor({ state: 'visible' })
    await page.fill('#token', 'not-the-token')
    await page.click('#login button[type=submit]')
    await page.waitForFunction(() => document.getElementById('login-error')?.textContent?.includes('refused'))
    assert.equal(await text('#login-error'), 'The token was refused: invalid credentials')
    assert.equal(await page.evaluate(() => sessionStorage.getItem('stablefx.dashboard.token')), null)

    // The refused token is logged by Chromium as failed requests (401); nothing else went wrong.
    assert.deepEqual(
      problems.filter((p) => !/status of 401/.test(p)),
      [],
    )
  })
})
