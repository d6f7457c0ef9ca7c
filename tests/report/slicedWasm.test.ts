import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { compileWasm, moduleSource, WASM_MODULES } from '../../scripts/build/wasm'
import { addAt, addNumber, addScaledMask, addScaledNumber, counterPool, slicedCounts } from '../../src/report/internal/sliced'
import { readSlot } from '../../src/report/internal/slicedRead'
import { setCounts, slicedNumber } from '../../src/report/internal/slicedNumber'
import { cli } from '../_cli'

const SLOTS = 5

const arbOps = (R: number) => {
  const counts = fc.array(fc.oneof(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 300 })), { minLength: R, maxLength: R })
  return fc.array(
    fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('number' as const), slot: fc.nat(SLOTS - 1), counts, times: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 600 })) }) },
      // As the bootstrap adds a count with a fractional remainder: the number, then the remainder's floats.
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('fraction' as const), slot: fc.nat(SLOTS - 1), counts, times: fc.integer({ min: 1, max: 600 }), fraction: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }) },
      // Deeper than the 64 planes a register holds: added from the number itself.
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), slot: fc.nat(SLOTS - 1), r: fc.nat(R - 1), times: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('scaled' as const), slot: fc.nat(SLOTS - 1), counts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: R, maxLength: R }), scale: fc.double({ min: 0, max: 10, noNaN: true }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('at' as const), slot: fc.nat(SLOTS - 1), r: fc.nat(R - 1), value: fc.double({ min: 0, max: 1000, noNaN: true }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), slot: fc.nat(SLOTS - 1) }) },
    ),
    { maxLength: 300 },
  )
}

const bytes = (xs: Float64Array) => Array.from(new Uint8Array(xs.buffer))

describe('the WebAssembly replicate counters', () => {
  it('are committed as compiled from src/report/internal/wasm/counters.wat (else: npm run build:wasm)', async () => {
    expect(readFileSync('src/report/internal/wasm/countersModule.ts', 'utf8')).toBe(moduleSource(WASM_MODULES.counters, await compileWasm(WASM_MODULES.counters)))
  })

  it('run in this runtime (WebAssembly SIMD), and the fallback is the JavaScript input', () => {
    expect(counterPool(200).wasm).toBeDefined()
    expect(counterPool(200, { wasm: false }).wasm).toBeUndefined()
  })

  test.prop([fc.oneof(fc.constant(200), fc.integer({ min: 1, max: 300 })).chain((R) => fc.tuple(fc.constant(R), arbOps(R)))], { numRuns: 60 })(
    'give the JavaScript banks bit for bit: random slots, levels, multiplicities, carries past the top level, fractional floats, reads between',
    ([R, ops]) => {
      const wasm = slicedCounts(counterPool(R))
      const js = slicedCounts(counterPool(R, { wasm: false }))
      const x = slicedNumber(wasm.words)
      const counts = new Float64Array(R)
      const a = new Float64Array(R)
      const b = new Float64Array(R)
      for (const op of ops) {
        if (op.kind === 'read') {
          readSlot(wasm, op.slot, a, 0)
          readSlot(js, op.slot, b, 0)
          expect(bytes(a)).toEqual(bytes(b))
        } else if (op.kind === 'at') {
          addAt(wasm, op.slot, op.r, op.value)
          addAt(js, op.slot, op.r, op.value)
        } else if (op.kind === 'deep') {
          counts.fill(1)
          counts[op.r] = 2 ** 70
          setCounts(x, counts, R)
          expect(x.count).toBe(71)
          addNumber(wasm, op.slot, x, op.times)
          addNumber(js, op.slot, x, op.times)
        } else {
          op.counts.forEach((c, r) => (counts[r] = c))
          setCounts(x, counts, R)
          if (op.kind === 'number') {
            addNumber(wasm, op.slot, x, op.times)
            addNumber(js, op.slot, x, op.times)
          } else if (op.kind === 'fraction') {
            addNumber(wasm, op.slot, x, op.times)
            addNumber(js, op.slot, x, op.times)
            if (x.count > 0) {
              addScaledMask(wasm, op.slot, x.planes, 0, op.fraction * op.times)
              addScaledMask(js, op.slot, x.planes, 0, op.fraction * op.times)
            }
          } else {
            addScaledNumber(wasm, op.slot, x, op.scale)
            addScaledNumber(js, op.slot, x, op.scale)
            if (x.count > 0) {
              addScaledMask(wasm, op.slot, x.planes, 0, op.scale / 3)
              addScaledMask(js, op.slot, x.planes, 0, op.scale / 3)
            }
          }
        }
      }
      for (let slot = 0; slot < SLOTS; slot++) {
        readSlot(wasm, slot, a, 0)
        readSlot(js, slot, b, 0)
        expect(bytes(a)).toEqual(bytes(b))
      }
    },
  )

  it('without WebAssembly (node --jitless) the report is byte for byte the same, fractional counts and all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-counters-'))
    const channels = ['email', 'search', 'social', 'display', 'direct']
    let s = 7
    const next = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n
    const rows = ['path,total_conversions,total_conversion_value,total_null']
    for (let i = 0; i < 400; i++) {
      const path = Array.from({ length: 1 + next(5) }, () => channels[next(channels.length)]!).join(' > ')
      const conversions = next(4) === 0 ? next(300) : next(3) + (next(3) === 0 ? 0.25 * next(4) : 0)
      rows.push(`${path},${conversions},${conversions > 0 ? next(100) : 0},${next(400)}`)
    }
    const file = join(dir, 'paths.csv')
    writeFileSync(file, rows.join('\n') + '\n')
    for (const args of [
      ['report', file, '--bootstrap', '200', '--format', 'json'],
      ['report', file, '--bootstrap', '37', '--models', 'first,last_non_direct,linear,markov', '--format', 'json'],
      ['report', 'examples/events.csv', '--bootstrap', '300', '--format', 'json'],
    ]) {
      const withWasm = await cli(args)
      const jitless = spawnSync(process.execPath, ['--jitless', '--no-warnings', '--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' })
      expect(jitless.status, jitless.stderr).toBe(0)
      expect(withWasm.code, withWasm.stderr).toBe(0)
      expect(jitless.stdout).toBe(withWasm.stdout)
    }
  }, 120_000)
})
