/**
 * Units for `touchpoint assign`, at any size, in the shape of examples/units.csv (userId, deviceId, country,
 * orders), streamed so 10M units take no memory. Deterministic: unit i is the same on every run.
 *
 *   npx tsx scripts/generate-units.ts --units 10000000 --out /tmp/units.csv
 *   node --import tsx scripts/generate-units.ts --units 1000 --format jsonl      (to standard output)
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'

const COUNTRIES = ['DE', 'AT', 'CH', 'GB', 'US', 'FR', 'NL', 'PL']

/** Unit `i` as a CSV row (no newline). */
export const unitRow = (i: number): string => {
  const h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0
  return `u-${i.toString(36)},d-${h.toString(16)},${COUNTRIES[h % COUNTRIES.length]},${h % 7}`
}

/** Unit `i` as a JSON line (no newline). */
export const unitLine = (i: number): string => {
  const [userId, deviceId, country, orders] = unitRow(i).split(',')
  return JSON.stringify({ userId, deviceId, country, orders: Number(orders) })
}

/** Write `units` units to `out`, with backpressure. */
export const writeUnits = async (out: Writable, units: number, format: 'csv' | 'jsonl' = 'csv'): Promise<void> => {
  if (format === 'csv') out.write('userId,deviceId,country,orders\n')
  const row = format === 'csv' ? unitRow : unitLine
  let batch = ''
  for (let i = 0; i < units; i++) {
    batch += `${row(i)}\n`
    if (batch.length >= 65536 || i === units - 1) {
      if (!out.write(batch)) await once(out, 'drain')
      batch = ''
    }
  }
}

const main = async () => {
  const args = process.argv.slice(2)
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`)
    return i < 0 ? undefined : args[i + 1]
  }
  const units = Number(arg('units') ?? 1000)
  const format = arg('format') === 'jsonl' ? 'jsonl' : 'csv'
  const path = arg('out')
  const out = path === undefined ? process.stdout : createWriteStream(path)
  await writeUnits(out, units, format)
  if (path !== undefined) {
    out.end()
    await once(out, 'finish')
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) void main()
