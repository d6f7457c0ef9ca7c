// Bun, from the `bun` npm package: its binary (platform package, or where bun's postinstall links it) runs the
// bundle with Bun.serve, driven over HTTP.
import { join } from 'node:path'
import { bundle, firstExisting, removeDir, root, runtimeSuite, spawnServer } from './_harness'

const bun = firstExisting([
  join(root, `node_modules/@oven/bun-${process.platform}-${process.arch}/bin/bun`),
  join(root, `node_modules/@oven/bun-${process.platform}-${process.arch}-baseline/bin/bun`),
  join(root, 'node_modules/bun/bin/bun.exe'),
])

runtimeSuite('bun', async () => {
  if (bun === undefined) throw new Error('no bun binary in node_modules (npm install bun)')
  const { file, dir } = await bundle('bun', 'esm')
  return spawnServer(bun, ['run', file], removeDir(dir))
})
