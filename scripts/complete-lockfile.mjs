#!/usr/bin/env node
/**
 * npm 11 records only this machine's platform packages (`@rollup/rollup-linux-x64-gnu`, `@deno/linux-x64-glibc`)
 * in package-lock.json, and `npm ci` then refuses the lock it wrote ("Missing: @rollup/rollup-darwin-arm64 from
 * lock file"; npm/cli#4828, #8805). This adds the missing optional platform entries from the registry metadata,
 * so `npm ci` works on a clean clone. Run it after any `npm install` that changes the lock:
 *   node scripts/complete-lockfile.mjs && npm ci --dry-run --ignore-scripts
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

const lockPath = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(lockPath, 'utf8'))
const packages = lock.packages

const missing = new Map()
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path === '' ? '' : `${path}/`}node_modules/${name}`
    if (!(nested in packages) && !(`node_modules/${name}` in packages)) missing.set(`node_modules/${name}`, { name, version: range, dev: entry.dev === true })
  }
}

for (const [path, { name, version, dev }] of missing) {
  const meta = JSON.parse(execFileSync('npm', ['view', `${name}@${version}`, '--json'], { encoding: 'utf8' }))
  const info = Array.isArray(meta) ? meta[meta.length - 1] : meta
  packages[path] = {
    version: info.version,
    integrity: info.dist.integrity,
    ...(info.cpu ? { cpu: info.cpu } : {}),
    ...(dev ? { dev: true } : {}),
    ...(info.libc ? { libc: info.libc } : {}),
    ...(info.license ? { license: info.license } : {}),
    optional: true,
    ...(info.os ? { os: info.os } : {}),
    ...(info.engines ? { engines: info.engines } : {}),
  }
  console.log(`added ${name}@${info.version}`)
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)))
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`)
console.log(missing.size === 0 ? 'package-lock.json already complete' : `added ${missing.size} platform entries`)
