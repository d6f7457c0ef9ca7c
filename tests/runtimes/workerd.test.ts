// Cloudflare's workerd, through Miniflare: the module worker built by cloudflareWorker.
import { readFileSync } from 'node:fs'
import { Miniflare } from 'miniflare'
import { bundle, removeDir, runtimeSuite } from './_harness'

runtimeSuite('workerd', async () => {
  const { file, dir } = await bundle('workerd', 'esm')
  const mf = new Miniflare({
    modules: true,
    // The script's text, not its path: workerd refuses module paths that climb out of the working directory.
    script: readFileSync(file, 'utf8'),
    compatibilityDate: '2026-04-01',
  })
  await mf.ready
  return {
    send: async (path, headers) => {
      const response = await mf.dispatchFetch(`https://shop.example.test${path}`, { headers: headers ?? {} })
      // Miniflare's Response is undici's; rebuild as Node's global one so tests read it the same everywhere.
      return new Response(await response.arrayBuffer(), { status: response.status, headers: [...response.headers] as Array<[string, string]> })
    },
    stop: async () => {
      await mf.dispose()
      removeDir(dir)()
    },
  }
})
