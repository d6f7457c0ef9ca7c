// Deno, from the `deno` npm package: the bundle served with Deno.serve, driven over HTTP.
import { join } from 'node:path'
import { bundle, firstExisting, removeDir, root, runtimeSuite, spawnServer } from './_harness'

const platformBinary = `${process.platform}-${process.arch === 'x64' ? 'x64' : 'arm64'}`
const deno = firstExisting([
  join(root, `node_modules/@deno/${platformBinary}-glibc/deno`),
  join(root, `node_modules/@deno/${platformBinary}/deno`),
  join(root, 'node_modules/.bin/deno'),
])

runtimeSuite('deno', async () => {
  if (deno === undefined) throw new Error('no deno binary in node_modules (npm install deno)')
  const { file, dir } = await bundle('deno', 'esm')
  return spawnServer(deno, ['run', '--allow-net=127.0.0.1', '--no-prompt', file], removeDir(dir))
})
