/**
 * The strict JSON parser (src/core/json.ts: duplicate keys refused, errors with path, line and column) against
 * JSON.parse, the floor it cannot beat (native, and silent on duplicate keys), on the JSON the CLI reads: a unit
 * line of `assign`, an attribution path line, and a whole experiment config.
 * Run: npx tsx benchmarks/json.bench.ts
 */
import { readFileSync } from 'node:fs'
import { parseJson } from '../src/core/json'
import { measure } from './_harness'

const unitLines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ userId: `u-${i.toString(36)}`, deviceId: `d-${(i * 2654435761) >>> 0}`, country: 'DE', orders: i % 7 }))
const pathLines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ path: ['search', 'email', 'display', 'direct'].slice(0, 1 + (i % 4)).join(' > '), total_conversions: i % 3, total_conversion_value: i * 1.5, total_null: i % 5 }))
const config = readFileSync(new URL('../examples/experiments.json', import.meta.url), 'utf8')
const configs = Array.from({ length: 20 }, () => config)

const cases = (title: string, texts: ReadonlyArray<string>) =>
  measure(
    title,
    [
      { name: 'JSON.parse (floor)', run: () => texts.map((t) => JSON.parse(t) as unknown) },
      { name: 'parseJson (strict)', run: () => texts.map((t) => parseJson(t)) },
    ],
    { batch: texts.length, baseline: 'JSON.parse (floor)' },
  )

await cases('assign unit line (60 bytes)', unitLines)
await cases('attribution path line (100 bytes)', pathLines)
await cases(`experiment config (${config.length} bytes)`, configs)
