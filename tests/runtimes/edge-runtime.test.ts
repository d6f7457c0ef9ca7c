// Vercel's Edge Runtime (the sandbox behind Edge Functions and Next.js middleware), in process.
import { readFileSync } from 'node:fs'
import { EdgeRuntime } from 'edge-runtime'
import { bundle, removeDir, runtimeSuite } from './_harness'

runtimeSuite('edge-runtime', async () => {
  const { file, dir } = await bundle('edge-runtime', 'iife')
  const runtime = new EdgeRuntime({ initialCode: readFileSync(file, 'utf8') })
  return {
    send: async (path, headers) => {
      const response = await runtime.dispatchFetch(`https://shop.example.test${path}`, { headers: headers ?? {} })
      await response.waitUntil()
      return new Response(await response.arrayBuffer(), { status: response.status, headers: [...response.headers] as Array<[string, string]> })
    },
    stop: async () => removeDir(dir)(),
  }
})
