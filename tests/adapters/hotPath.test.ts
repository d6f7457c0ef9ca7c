/**
 * The per-request path of the Fetch adapter (issue 15, a lighter edge): what it no longer builds per request must
 * not change what it answers.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { encodeAssignments, touchpoint, type ConfigState, type ConfigSource } from '../../src/adapters/web'
import { decodeConfig } from '../../src/assignment/decode'
import type { Assigner } from '../../src/assignment/model'
import { inlineCompiled } from '../_compiled'

const CONFIG = { experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }
const quiet = { report: () => undefined } as const
const returning = () => new Request('https://shop.test/', { headers: { cookie: 'tp_uid=u-1' } })

const assigner = (config: unknown): Assigner => {
  const r = decodeConfig(config)
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  return r.right
}

// Keys and variants mixing the characters written as they are with ones that need encoding.
const arbKey = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '.', '-', '*', ' ', '&', '=', '+', '%', 'é', '😀', '~'), maxLength: 8 })

describe('encodeAssignments', () => {
  test.prop([fc.dictionary(arbKey, arbKey)])('writes exactly what URLSearchParams writes', (variants) => {
    const expected = new URLSearchParams()
    for (const k in variants) expected.append(k, variants[k]!)
    expect(encodeAssignments(variants)).toBe(expected.toString())
  })

  it('skips what is no string and keeps the order of the keys', () => {
    expect(encodeAssignments({ b: 'x', a: 1 as unknown as string, c: 'y z' })).toBe('b=x&c=y+z')
  })
})

describe('a decision without a sink', () => {
  it('makes no exposure or flush closures of its own: expose is variant, flush is shared (old code built both per request)', async () => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), ...quiet })
    const [a, b] = [await tp.decide(returning()), await tp.decide(returning())]
    expect(a.expose).toBe(a.variant)
    expect(a.flush).toBe(b.flush)
    expect(a.expose('hero')).toBe(a.variants['hero'])
    expect(a.expose('nope')).toBe('control')
    expect(a.expose('nope', 'x')).toBe('x')
    await expect(a.flush()).resolves.toBeUndefined()
  })

  it('with a sink still queues each exposure once per request', async () => {
    const batches: Array<ReadonlyArray<{ experiment: string }>> = []
    const tp = touchpoint({ config: inlineCompiled(CONFIG), sink: (xs) => void batches.push(xs), expose: 'manual', ...quiet })
    const d = await tp.decide(returning())
    expect(d.expose).not.toBe(d.variant)
    d.expose('hero'), d.expose('hero')
    await d.flush()
    await d.flush()
    expect(batches.map((b) => b.map((x) => x.experiment))).toEqual([['hero']])
  })
})

describe('the experiments assigned', () => {
  it('follow every config load (they are found once per load, not per request)', async () => {
    let state: ConfigState = { assigner: assigner(CONFIG), error: undefined }
    const config: ConfigSource = { get: async () => state, reload: async () => state }
    const tp = touchpoint({ config, ...quiet })
    expect((await tp.decide(returning())).assignments.map((a) => a.experiment)).toEqual(['hero'])
    state = { assigner: assigner({ experiments: [...CONFIG.experiments, { key: 'cta', variants: [{ key: 'control' }, { key: 'red' }] }] }), error: undefined }
    expect((await tp.decide(returning())).assignments.map((a) => a.experiment)).toEqual(['hero', 'cta'])
    state = { assigner: undefined, error: undefined }
    expect((await tp.decide(returning())).assignments).toEqual([])
  })
})
