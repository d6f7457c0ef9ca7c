import { describe, expect, it, vi } from 'vitest'
import { denoHandler, denoKvConfig } from '../../src/adapters/deno'
import { inlineCompiled } from '../_compiled'

const config = (version: string) => ({ version, experiments: [{ key: 'a', variants: [{ key: 'x' }] }] })

describe('deno', () => {
  it('a Deno.serve handler assigns and flushes in the background', async () => {
    const sink = vi.fn()
    const handler = denoHandler({ config: inlineCompiled(config('1')), sink }, (_, d) => new Response(d.variant('a')))
    expect(await (await handler(new Request('http://localhost/'))).text()).toBe('x')
    await vi.waitFor(() => expect(sink).toHaveBeenCalledTimes(1))
  })

  it('deno kv: parsed and decoded once per versionstamp', async () => {
    let entry = { value: JSON.stringify(config('1')) as unknown, versionstamp: '0001' as string | null }
    const kv = { get: vi.fn(async () => entry) }
    const decode = vi.fn((await import('../../src/assignment/decode')).decodeConfig)
    const source = denoKvConfig(kv, ['touchpoint', 'config'], { ttlMs: 0, decode })
    await source.get(undefined)
    await source.get(undefined)
    expect(decode).toHaveBeenCalledTimes(1)
    entry = { value: config('2'), versionstamp: '0002' }
    expect((await source.get(undefined)).assigner?.version).toBe('2')
    expect(kv.get).toHaveBeenCalledWith(['touchpoint', 'config'])
    entry = { value: null, versionstamp: null }
    const missing = await source.get(undefined)
    expect(missing.assigner?.version).toBe('2')
    expect(missing.error).toBeDefined()
  })

  it('deno kv: text is read by the source options.parse (a duplicate key refused by the strict reader)', async () => {
    const { parseJson } = await import('../../src/core/json')
    const { decodeConfig } = await import('../../src/assignment/decode')
    const kv = { get: async () => ({ value: '{"version": "1", "experiments": [], "experiments": [{"key": "a", "variants": [{"key": "x"}]}]}', versionstamp: '0001' }) }
    const strict = await denoKvConfig(kv, ['c'], { decode: decodeConfig, parse: parseJson }).get(undefined)
    expect(strict.assigner).toBeUndefined()
    expect(strict.error).toMatchObject({ issues: [{ path: 'experiments', expected: expect.stringContaining('each key once'), line: 1 }] })
    // JSON.parse (the default) keeps the last.
    expect((await denoKvConfig(kv, ['c'], { decode: decodeConfig }).get(undefined)).assigner?.experiments.map((x) => x.key)).toEqual(['a'])
  })
})
