import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileWasm, moduleSource, WASM_MODULES } from '../../scripts/build/wasm'

describe('the WebAssembly path scanner', () => {
  it('is committed as compiled from src/files/wasm/pathScan.wat (else: npm run build:wasm)', async () => {
    expect(readFileSync('src/files/wasm/pathScanModule.ts', 'utf8')).toBe(moduleSource(WASM_MODULES.pathScan, await compileWasm(WASM_MODULES.pathScan)))
  })
})
