/**
 * Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands go in on file
 * descriptor 3, answers and events come out on 4, each a JSON text ended by a NUL byte), so a test can press real
 * keys (Input.dispatchKeyEvent: trusted events, as a keyboard gives) and read the page (Runtime.evaluate). No
 * dependency, no port, no network. Used by the browser tests (tests/report/) and scripts/docs/screenshots.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'

export interface Page {
  /** The value of a JavaScript expression in the page (returned by value: JSON-like). */
  readonly evaluate: <A>(expression: string) => Promise<A>
  /** Press and release a key: `Tab`, `Shift+Tab`, `Enter`, ` ` (space), `Escape`, `Backspace`, `Control+a`, or one character. */
  readonly press: (key: string) => Promise<void>
  /** Type text, a key press per character. */
  readonly type: (text: string) => Promise<void>
  /** A PNG of the window's area at the top of the page, drawn at `scale` (0.8: a 1000 px window, 800 px wide). */
  readonly screenshot: (options?: { readonly scale?: number }) => Promise<Buffer>
  /** Chromium's performance counters (Performance.getMetrics): LayoutDuration, ScriptDuration, … in seconds. */
  readonly metrics: () => Promise<Readonly<Record<string, number>>>
  readonly close: () => Promise<void>
}

const KEYS: Readonly<Record<string, { readonly code: string; readonly keyCode: number; readonly text?: string }>> = {
  Tab: { code: 'Tab', keyCode: 9 },
  Enter: { code: 'Enter', keyCode: 13, text: '\r' },
  Escape: { code: 'Escape', keyCode: 27 },
  Backspace: { code: 'Backspace', keyCode: 8 },
  ' ': { code: 'Space', keyCode: 32, text: ' ' },
}
const MODIFIERS: Readonly<Record<string, number>> = { Alt: 1, Control: 2, Meta: 4, Shift: 8 }

/** Open `url` in headless Chromium at `width`×`height` and wait until the page has loaded. */
export const openPage = async (chromium: string, url: string, width: number, height: number): Promise<Page> => {
  const profile = mkdtempSync(join(tmpdir(), 'touchpoint-cdp-'))
  const child: ChildProcess = spawn(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--window-size=${width},${height}`, '--remote-debugging-pipe', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  )
  const input = child.stdio[3] as Writable
  const output = child.stdio[4] as Readable
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)))
  const waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>()
  let exited: Error | undefined
  child.on('exit', (code, signal) => {
    exited = new Error(`chromium exited (${code ?? signal}): ${stderr}`)
    for (const w of waiting.values()) w.reject(exited)
    waiting.clear()
  })
  let buffered = Buffer.alloc(0)
  output.on('data', (d: Buffer) => {
    buffered = Buffer.concat([buffered, d])
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const message = JSON.parse(buffered.subarray(0, end).toString('utf8')) as { id?: number; result?: unknown; error?: { message: string } }
      buffered = buffered.subarray(end + 1)
      const w = message.id === undefined ? undefined : waiting.get(message.id)
      if (w === undefined) continue
      waiting.delete(message.id!)
      if (message.error !== undefined) w.reject(new Error(message.error.message))
      else w.resolve(message.result)
    }
  })
  let next = 0
  const send = <A>(method: string, params: object = {}, sessionId?: string): Promise<A> =>
    new Promise<A>((resolve, reject) => {
      if (exited !== undefined) return reject(exited)
      const id = ++next
      waiting.set(id, { resolve: resolve as (r: unknown) => void, reject })
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`)
    })
  const close = async () => {
    if (exited === undefined) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      await send('Browser.close').catch(() => undefined)
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))])
      if (exited === undefined) child.kill('SIGKILL')
    }
    rmSync(profile, { recursive: true, force: true })
  }
  try {
    const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' })
    const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
    await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId)
    await send('Performance.enable', {}, sessionId)
    await send('Page.navigate', { url }, sessionId)
    const evaluate = async <A>(expression: string): Promise<A> => {
      const r = await send<{ result: { value?: A }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', { expression, returnByValue: true }, sessionId)
      if (r.exceptionDetails !== undefined) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`)
      return r.result.value as A
    }
    for (let i = 0; (await evaluate<string>('document.readyState')) !== 'complete'; i++) {
      if (i > 200) throw new Error(`${url} did not load`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // Virtual key codes only for letters and digits (theirs are their upper-case codes); '.' is 46, VK_DELETE.
    const press = async (combo: string) => {
      const parts = combo.length > 1 && combo.includes('+') ? combo.split('+') : [combo]
      const key = parts.pop()!
      const modifiers = parts.reduce((m, p) => m | (MODIFIERS[p] ?? 0), 0)
      const known = KEYS[key]
      const char = known === undefined && key.length === 1 ? key : undefined
      const base = { key, modifiers, code: known?.code ?? (char !== undefined && /[a-z]/i.test(char) ? `Key${char.toUpperCase()}` : ''), windowsVirtualKeyCode: known?.keyCode ?? (char !== undefined && /[a-z0-9]/i.test(char) ? char.toUpperCase().charCodeAt(0) : 0) }
      const text = modifiers & ~MODIFIERS['Shift']! ? undefined : known?.text ?? char
      await send('Input.dispatchKeyEvent', { type: text === undefined ? 'rawKeyDown' : 'keyDown', ...base, ...(text === undefined ? {} : { text, unmodifiedText: text }) }, sessionId)
      await send('Input.dispatchKeyEvent', { type: 'keyUp', ...base }, sessionId)
    }
    const type = async (text: string) => {
      for (const c of text) await press(c)
    }
    const screenshot = async (options: { readonly scale?: number } = {}) => {
      const clip = { x: 0, y: 0, width, height, scale: options.scale ?? 1 }
      await evaluate(`document.documentElement.style.scrollbarWidth = 'none'`) // as --hide-scrollbars
      const { data } = await send<{ data: string }>('Page.captureScreenshot', { format: 'png', clip }, sessionId)
      return Buffer.from(data, 'base64')
    }
    const metrics = async () => {
      const { metrics: list } = await send<{ metrics: ReadonlyArray<{ name: string; value: number }> }>('Performance.getMetrics', {}, sessionId)
      return Object.fromEntries(list.map((m) => [m.name, m.value]))
    }
    return { evaluate, press, type, screenshot, metrics, close }
  } catch (e) {
    await close()
    throw e
  }
}
