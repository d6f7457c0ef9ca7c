import { describe, expect, it, vi } from 'vitest'
import { bunFileConfig, bunHandler } from '../../src/adapters/bun'
import { compiled, inlineCompiled } from '../_compiled'

describe('bun', () => {
  it('a Bun.serve fetch handler assigns', async () => {
    const handler = bunHandler({ config: inlineCompiled({ experiments: [{ key: 'a', variants: [{ key: 'x' }] }] }) }, (_, d) => new Response(d.variant('a')))
    expect(await (await handler(new Request('http://localhost/'))).text()).toBe('x')
  })

  it('a config file is re-read, and a bad edit keeps the last good config', async () => {
    let text = JSON.stringify(compiled({ version: '1', experiments: [] }))
    const bun = { file: vi.fn(() => ({ text: async () => text })) }
    const source = bunFileConfig(bun, './experiments.json', { ttlMs: 0 })
    expect((await source.get(undefined)).assigner?.version).toBe('1')
    text = '{ broken'
    const state = await source.get(undefined)
    expect(state.assigner?.version).toBe('1')
    expect(state.error).toBeDefined()
    expect(bun.file).toHaveBeenCalledWith('./experiments.json')
  })
})
