/** The byte source: gzip found by its magic number, and a reader may stop at any point without waiting forever. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fileBytes } from '../../src/files/source'

const dir = mkdtempSync(join(tmpdir(), 'tp-source-'))

describe('fileBytes', () => {
  it('a reader that stops after the first chunk of a large gzip file is let go (it waited for a drain that never came)', async () => {
    // Random bytes do not compress: many chunks, so the feeder is blocked on backpressure when the reader stops.
    const path = join(dir, 'big.gz')
    writeFileSync(path, gzipSync(randomBytes(8 << 20)))
    const stopEarly = (async () => {
      for await (const chunk of fileBytes(path)) {
        expect(chunk.length).toBeGreaterThan(0)
        break
      }
      return 'stopped'
    })()
    const timeout = new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000).unref())
    expect(await Promise.race([stopEarly, timeout])).toBe('stopped')
  })

  it('reads gzip and plain files whole', async () => {
    const text = 'unit_id,timestamp\n'.repeat(50_000)
    writeFileSync(join(dir, 'a.csv.gz'), gzipSync(text))
    writeFileSync(join(dir, 'a.csv'), text)
    for (const name of ['a.csv.gz', 'a.csv']) {
      const chunks: Array<Buffer> = []
      for await (const c of fileBytes(join(dir, name))) chunks.push(c)
      expect(Buffer.concat(chunks).toString('utf8')).toBe(text)
    }
  })
})
