import { describe, expect, it, vi } from 'vitest'
import { netlifyEdge } from '../../src/adapters/netlify'
import { UNIT_HEADER } from '../../src/adapters/web'
import { inlineCompiled } from '../_compiled'

describe('netlify', () => {
  it('continues to the site with the forwarded request and adds the cookie to its answer', async () => {
    const next = vi.fn(async (request?: Request) => new Response(`site saw ${request?.headers.get(UNIT_HEADER)}`))
    const edge = netlifyEdge({ config: inlineCompiled({ experiments: [{ key: 'a', variants: [{ key: 'x' }] }] }), newId: () => 'n-2' })
    const response = await edge(new Request('https://site.test/'), { next })
    expect(await response.text()).toBe('site saw n-2')
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^tp_uid=n-2;/)])
  })
})
