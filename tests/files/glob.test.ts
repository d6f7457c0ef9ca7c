/**
 * File patterns the surface suite found: a character class no regular expression takes ([z-a]) rejected the read
 * with a SyntaxError; it is now a literal '[' and the pattern simply matches what it names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { expandPattern } from '../../src/files/glob'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-glob-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('expandPattern', () => {
  it('a class with a range out of order is literal text, not a throw', async () => {
    writeFileSync(join(dir, '[z-a].csv'), 'x')
    writeFileSync(join(dir, 'b.csv'), 'x')
    await expect(expandPattern(join(dir, '[z-a].csv'))).resolves.toEqual([join(dir, '[z-a].csv')])
    await expect(expandPattern(join(dir, '[9,u,n]x[2-1]*'))).resolves.toEqual([])
    await expect(expandPattern(join(dir, '[a-c].csv'))).resolves.toEqual([join(dir, 'b.csv')])
  })
})
