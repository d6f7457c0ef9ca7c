import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compilePathScan, moduleSource } from '../../scripts/build/pathScanWasm'

describe('the WebAssembly path scanner', () => {
  it('is committed as compiled from src/files/wasm/pathScan.wat (else: npm run build:wasm)', async () => {
    expect(readFileSync('src/files/wasm/pathScanModule.ts', 'utf8')).toBe(moduleSource(await compilePathScan()))
  })
})
