/**
 * `touchpoint report --engine duckdb` on the shipped examples: the after-purchase section with the numbers the
 * streaming reader gives (the engine computes each journey's previous conversion in SQL), in JSON and on the page;
 * for aggregated paths, which carry no user history, the page says why it is not measured.
 */
import { describe, expect, it } from 'vitest'
import { cli } from '../_cli'

const report = async (args: ReadonlyArray<string>) => {
  const r = await cli(['report', ...args, '--bootstrap', '0', '--quiet'])
  expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' })
  return r.stdout
}

/** Every number equal to 1e-12 relative, everything else exactly (the rows' order included). */
const expectClose = (a: unknown, b: unknown, path = 'afterPurchase'): void => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)))) throw new Error(`${path}: engine ${a}, in process ${b}`)
  } else if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, `${path}.length`).toBe(b.length)
    b.forEach((x, i) => expectClose(a[i], x, `${path}[${i}]`))
  } else if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort())
    for (const k of Object.keys(b)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
  } else expect(a, path).toEqual(b)
}

describe('report --engine duckdb: after the purchase', () => {
  it.each([[[]], [['--lookback', '30d']], [['--after-purchase-window', '90d']], [['--lookback', '7d', '--after-purchase-window', '60d']]])(
    'examples/events.csv %j: the section the streaming reader gives, measured, with the same numbers',
    async (flags) => {
      const want = JSON.parse(await report(['examples/events.csv', ...flags, '-f', 'json'])).afterPurchase
      const got = JSON.parse(await report(['examples/events.csv', ...flags, '-f', 'json', '--engine', 'duckdb'])).afterPurchase
      expect(want._tag).toBe('Measured')
      // Something to compare: journeys after a purchase on several touchpoints, some of them repeats.
      expect(want.touchpoints.length).toBeGreaterThan(1)
      expect(want.total.repeats).toBeGreaterThan(0)
      expectClose(got, want)
    },
    120_000,
  )

  it('the page shows the section with the numbers of the streaming reader (Markdown and HTML)', async () => {
    for (const format of ['markdown', 'html']) {
      const section = (text: string) => {
        const start = format === 'html' ? text.indexOf('<section id="after-purchase">') : text.indexOf('After the purchase')
        expect(start, format).toBeGreaterThanOrEqual(0)
        return format === 'html' ? text.slice(start, text.indexOf('</section>', start)) : text.slice(start, text.indexOf('\n#', start + 1))
      }
      const want = section(await report(['examples/events.csv', '-f', format]))
      const got = section(await report(['examples/events.csv', '-f', format, '--engine', 'duckdb']))
      expect(got).toContain('Observational')
      expect(got).toEqual(want)
    }
  }, 120_000)

  it('aggregated paths carry no user history: the page says why the section is not measured, as without --engine', async () => {
    const want = JSON.parse(await report(['examples/paths.csv', '-f', 'json'])).afterPurchase
    const got = JSON.parse(await report(['examples/paths.csv', '-f', 'json', '--engine', 'duckdb'])).afterPurchase
    expect(got).toEqual(want)
    expect(got).toMatchObject({ _tag: 'NotMeasured', reason: expect.stringContaining('aggregated paths') })
    const page = await report(['examples/paths.csv', '-f', 'markdown', '--engine', 'duckdb'])
    expect(page).toContain('After the purchase')
    expect(page).toContain('aggregated paths')
  }, 120_000)
})
