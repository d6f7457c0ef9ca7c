/**
 * The reading pipeline's reader from plain JavaScript: arguments that are not what it takes stop the read with
 * an error naming them, never a throw; a read of good arguments is unchanged.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { accumulator } from '../../../src/attribution/accumulate'
import { DEFAULT_SETTINGS } from '../../../src/attribution/model'
import { reader, type Reader } from '../../../src/attribution/read/reader'
import { DEFAULT_READ_SETTINGS } from '../../../src/attribution/read/settings'
import { arbPlain } from '../../_total'

const paths = (read: Reader, text = 'path,total_conversions\na > b,2\n', hints: unknown = { name: 'paths.csv' }) => {
  const src = read.source(hints as never)
  if (src.push(text)) src.end()
  return read.finish()
}
const firstIssues = (read: Reader) => {
  const error = read.finish().bad[0]?.error
  return error?._tag === 'InvalidInput' ? error.issues.map((i) => i.path) : error
}

describe('reader', () => {
  it('reads good arguments as before', () => {
    const acc = accumulator(DEFAULT_SETTINGS)
    const tally = paths(reader(DEFAULT_READ_SETTINGS, acc))
    expect(tally).toMatchObject({ rows: 1, skipped: 0, failed: false, kind: 'paths' })
    expect(acc.snapshot().channels).toEqual(['a', 'b'])
  })

  // The export surface suite found reader(undefined, …) throwing (settings.kind read off undefined).
  it.each([
    [undefined, 'settings'],
    [null, 'settings'],
    [{ ...DEFAULT_READ_SETTINGS, delimiter: ';;' }, 'settings.delimiter'],
    [{ ...DEFAULT_READ_SETTINGS, maxReasons: '5' }, 'settings.maxReasons'],
    [{ ...DEFAULT_READ_SETTINGS, events: { ...DEFAULT_READ_SETTINGS.events, conversion: { _tag: 'Events', names: [] } } }, 'settings.events.conversion'],
    [{ ...DEFAULT_READ_SETTINGS, events: { ...DEFAULT_READ_SETTINGS.events, columns: { ...DEFAULT_READ_SETTINGS.events.columns, user: [] } } }, 'settings.events.columns.user'],
  ])('settings %j stop the read, naming %s', (settings, path) => {
    const read = reader(settings as never, accumulator(DEFAULT_SETTINGS))
    expect(read.failed()).toBe(true)
    expect(paths(read).rows).toBe(0)
    expect(firstIssues(read)).toEqual([path])
  })

  it('names a reducer that is none, and options of the wrong type', () => {
    expect(firstIssues(reader(DEFAULT_READ_SETTINGS, {} as never))).toEqual(['reducer'])
    expect(firstIssues(reader(DEFAULT_READ_SETTINGS, accumulator(DEFAULT_SETTINGS), { where: 'x' } as never))).toEqual(['options.where'])
    expect(firstIssues(reader(DEFAULT_READ_SETTINGS, accumulator(DEFAULT_SETTINGS), 7 as never))).toEqual(['options'])
  })

  it.each([
    [null, 'hints'],
    ['a.csv', 'hints'],
    [{}, 'hints.name'],
    [{ name: 'a.csv', format: 'tsv' }, 'hints.format'],
    [{ name: 'a.csv', header: 'path' }, 'hints.header'],
  ])('a source with hints %j stops the read, naming %s', (hints, path) => {
    const read = reader(DEFAULT_READ_SETTINGS, accumulator(DEFAULT_SETTINGS))
    expect(paths(read, 'path,total_conversions\na,1\n', hints)).toMatchObject({ rows: 0, failed: true })
    expect(firstIssues(read)).toEqual([path])
  })

  it('text that is no string stops the read, naming it (the line splitter threw)', () => {
    const read = reader(DEFAULT_READ_SETTINGS, accumulator(DEFAULT_SETTINGS))
    const src = read.source({ name: 'a.csv' })
    expect(src.push(42 as never)).toBe(false)
    expect(firstIssues(read)).toEqual(['text'])
  })

  it('a lane\'s counts that are no counts stop the read instead of making NaN', () => {
    const read = reader(DEFAULT_READ_SETTINGS, accumulator(DEFAULT_SETTINGS))
    const src = read.source({ name: 'a.csv' })
    src.laneRows(Number.NaN)
    expect(read.finish()).toMatchObject({ rows: 0, failed: true })
    expect(firstIssues(read)).toEqual(['rows'])
  })

  test.prop([arbPlain([DEFAULT_READ_SETTINGS]), arbPlain([accumulator(DEFAULT_SETTINGS)]), arbPlain(), arbPlain(), fc.array(arbPlain(['a,b\n']), { maxLength: 4 })])(
    'any arguments: no throw, no NaN in the tally; a failed read names what stopped it',
    (settings, reducer, options, hints, more) => {
      const read = reader(settings as never, reducer as never, options as never)
      const src = read.source(hints as never)
      src.push(more[0] as never)
      src.line(more[0] as never, more[1] as never, more[2] as never, more[3] as never)
      src.laneRows(more[1] as never)
      src.replaced(more[2] as never)
      src.end(more[3] as never)
      const tally = read.finish()
      const counts = [tally.rows, tally.ignored, tally.skipped, tally.replacedUtf8, tally.peakOpenUsers, ...tally.lines, ...tally.bad.map((b) => b.line)]
      expect(counts.filter((n) => !Number.isSafeInteger(n) || n < 0)).toEqual([])
      if (tally.failed) expect(tally.bad[0]?.message).toEqual(expect.any(String))
    },
  )
})
