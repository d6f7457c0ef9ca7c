/**
 * Event exports as they come (issue 11): presets, conversion predicates and times, time units, orders that can
 * and cannot be read, and reads that must not be silently wrong (a --grouped file that is not grouped, bad bytes,
 * every line bad), through the command a user runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeTimedEvents, type Shape } from '../../scripts/generate-paths'
import { cli } from '../_cli'
import { relativeError } from '../_close'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-events-'))
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
type Row = Record<string, number | string>
const rowsOf = (json: string) => JSON.parse(json) as Array<Row>
const MODELS = ['--models', 'first,last,linear,position,time_decay,markov,shapley', '--format', 'json', '-q']

/** The channel names the generator's export shapes write for its channels (scripts/generate-paths.ts). */
const SOURCE_MEDIUM: Readonly<Record<string, string>> = {
  display: 'dv360 / display', video: 'youtube / video', social_paid: 'facebook / paid_social', affiliate: 'awin / affiliate', search_paid: 'google / cpc',
  search_organic: 'google / organic', email: 'newsletter / email', social_organic: 'instagram / social', referral: 'blog.example / referral',
  direct: '(direct) / (none)', retargeting: 'criteo / retargeting', store: 'store / offline', '(unattributed)': '(unattributed)',
}

describe('presets', () => {
  // The samples in examples/ come from the seeded generator (seed "presets", 300 rows): the same events written as
  // each export writes them. Read with their preset, each must credit what the plain CSV of those events credits.
  const cases: ReadonlyArray<readonly [string, Shape, string]> = [
    ['examples/ga4-events.csv', 'ga4', 'ga4'],
    ['examples/ga4-events.jsonl', 'ga4-json', 'ga4'],
    ['examples/segment-events.csv', 'segment', 'segment'],
    ['examples/snowplow-events.csv', 'snowplow', 'snowplow'],
  ]
  it.each(cases)('%s, read with --preset, credits what the same events in plain CSV credit', async (sample, shape, preset) => {
    // The committed sample is what the generator writes today.
    const regenerated = join(dir, `regenerated-${shape}`)
    await writeTimedEvents(300, 'presets', regenerated, { shape, ...(shape.startsWith('ga4') ? { ids: 'ga4' as const } : {}) })
    expect(readFileSync(regenerated, 'utf8')).toBe(readFileSync(sample, 'utf8'))
    const plain = join(dir, 'plain.csv')
    await writeTimedEvents(300, 'presets', plain, { shape: 'plain' })
    const want = await cli(['attribute', plain, '--lookback', '30d', ...MODELS])
    const got = await cli(['attribute', sample, '--preset', preset, '--lookback', '30d', ...MODELS])
    expect(got.stderr).toBe('')
    expect(got.code).toBe(0)
    const byChannel = new Map(rowsOf(got.stdout).map((r) => [r['channel'], r]))
    const expected = rowsOf(want.stdout)
    expect(byChannel.size).toBe(expected.length)
    for (const r of expected) {
      const g = byChannel.get(SOURCE_MEDIUM[r['channel'] as string])!
      expect(g, String(r['channel'])).toBeDefined()
      // GA4 writes microseconds the plain file rounds away: time decay moves in the last digits only.
      for (const [k, v] of Object.entries(r)) if (k !== 'channel') expect(relativeError(g[k] as number, v as number), `${r['channel']} ${k}`).toBeLessThan(1e-9)
    }
  })

  it('an option given beside a preset overrides it; a preset is refused for paths', async () => {
    const r = await cli(['attribute', 'examples/ga4-events.csv', '--preset', 'ga4', '--conversion-event', 'session_start', '--models', 'last', '--format', 'json', '-q'])
    expect(r.code).toBe(0)
    // Every session_start converts now: each touch is a one-touch converting journey.
    const rows = rowsOf(r.stdout)
    const touches = readFileSync('examples/ga4-events.csv', 'utf8').split('\n').filter((l) => l.includes(',session_start,')).length
    expect(rows.reduce((s, x) => s + (x['last_conversions'] as number), 0)).toBe(touches)
    const paths = await cli(['attribute', 'examples/paths.csv', '--preset', 'ga4', '--input', 'paths'])
    expect(paths.code).toBe(2)
    expect(paths.stderr).toContain('kind: expected events (the ga4 preset reads event exports)')
  })
})

describe('conversions and times as exports have them', () => {
  const DAY = 86_400_000
  const iso = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * DAY).toISOString()

  it('a conversion flagged on a touch row with its own time: the lookback is anchored at that time', async () => {
    const text = ['user_id,timestamp,channel,conversion,conversion_value,converted_at', `u,${iso(0)},search,0,,`, `u,${iso(25)},email,1,10,${iso(31)}`].join('\n')
    const p = file('conv-time.csv', text)
    const anchored = await cli(['attribute', p, '--lookback', '30d', '--conversion-time-column', 'converted_at', '--models', 'linear', '--format', 'json', '-q'])
    expect(anchored.code).toBe(0)
    // Converted on day 31: the day-0 touch is 31 days before, outside 30.
    expect(rowsOf(anchored.stdout).map((r) => [r['channel'], r['linear_conversions']])).toEqual([['email', 1]])
    // Read at the row's time (day 25), the day-0 touch is within 30 days.
    const rowTime = await cli(['attribute', p, '--lookback', '30d', '--models', 'linear', '--format', 'json', '-q'])
    expect(rowsOf(rowTime.stdout).map((r) => r['linear_conversions'])).toEqual([0.5, 0.5])
    // A conversion time before the row's own time is refused on its line.
    const bad = file('conv-time-bad.csv', ['user_id,timestamp,channel,conversion,conversion_value,converted_at', `u,${iso(5)},email,1,10,${iso(4)}`].join('\n'))
    const r = await cli(['attribute', bad, '--conversion-time-column', 'converted_at', '--models', 'last'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${bad}:2: converted_at: expected a conversion time not before the row's timestamp`)
  })

  it('conversions by event name, microsecond times, several user and channel columns', async () => {
    const us = (day: number) => String((Date.UTC(2026, 0, 1) + day * DAY) * 1000 + 17)
    const text = [
      'visitor,login,ts,event_name,src,med,amount',
      `v1,,${us(0)},page_view,google,cpc,`,
      `v1,,${us(1)},page_view,,,`,
      `v1,,${us(2)},page_view,newsletter,,`,
      `v1,L1,${us(3)},purchase,,,40`,
      `,L2,${us(4)},page_view,google,cpc,`,
      `,L2,${us(5)},refund,,,5`,
    ].join('\n')
    const p = file('events-by-name.csv', text)
    const r = await cli(['attribute', p, '--user-column', 'visitor,login', '--time-column', 'ts', '--time-unit', 'us', '--channel-column', 'src,med', '--conversion-event', 'purchase', '--value-column', 'amount', '--models', 'linear', '--format', 'json'])
    expect(r.code).toBe(0)
    expect(rowsOf(r.stdout)).toEqual([
      { channel: 'google / cpc', linear_conversions: 0.5, linear_value: 20 },
      { channel: 'newsletter', linear_conversions: 0.5, linear_value: 20 },
    ])
    // Rows with neither a channel nor a conversion are ignored, and said so.
    expect(r.stderr).toContain('2 rows were neither a touch (no channel) nor a conversion, and ignored')
    // Read as milliseconds, GA4's microseconds land in year 57,000: a conversion on value instead, nanoseconds.
    const ns = await cli(['attribute', p, '--user-column', 'visitor,login', '--time-column', 'ts', '--time-unit', 'ns', '--channel-column', 'src', '--conversion-on-value', '--value-column', 'amount', '--models', 'last', '--format', 'json', '-q'])
    expect(rowsOf(ns.stdout).map((x) => [x['channel'], x['last_conversions']])).toEqual([
      ['google', 1],
      ['newsletter', 1],
    ])
  })
})

describe('orders, and reads that must not be silently wrong', () => {
  it('--grouped on events not grouped by user is an error naming both lines (it used to credit (unattributed))', async () => {
    const lines = readFileSync('examples/events.csv', 'utf8').trim().split('\n')
    // Sorted by channel instead of user, as in the issue.
    const byChannel = [lines[0]!, ...lines.slice(1).sort((a, b) => a.split(',')[2]!.localeCompare(b.split(',')[2]!))].join('\n')
    const p = file('by-channel.csv', byChannel)
    const r = await cli(['attribute', p, '--grouped', '--models', 'last', '--engine', 'in-process'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`${p}:\\d+: user_id: expected each user's events together \\(grouped: sorted by user, then time\\): this user's events began at ${p}:\\d+, and another user's came between`))
    expect(r.stderr).toContain('Nothing was written')
    // Without --grouped the same file is not in time order per user either: with --engine in-process, refused on its line with the fix (auto hands it to DuckDB).
    const any = await cli(['attribute', p, '--models', 'last', '--engine', 'in-process'])
    expect(any.code).toBe(1)
    expect(any.stderr).toContain("expected a time not before this user's previous event")
  })

  it('a file in time order is read in bounded memory; one that breaks its order after users were closed is refused with the fix', async () => {
    const p = join(dir, 'timed.csv')
    await writeTimedEvents(90_000, 'order', p, { days: 60 })
    const good = await cli(['attribute', p, '--lookback', '7d', '--models', 'last', '--format', 'json'])
    expect(good.code).toBe(0)
    // An event of the first user, long after the file had moved on, appended at the end.
    const lines = readFileSync(p, 'utf8').trim().split('\n')
    const first = lines[1]!.split(',')
    const late = file('late.csv', `${lines.join('\n')}\n${first[0]},${first[1]},email,1,5\n`)
    const r = await cli(['attribute', late, '--lookback', '7d', '--models', 'last', '--engine', 'in-process'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${late}:${lines.length + 1}: timestamp: expected a time after`)
    expect(r.stderr).toContain('the events are not in time order')
    expect(r.stderr).toContain('Sort the events by time (ORDER BY timestamp), or by user and time and pass --grouped')
  })

  it('bytes that are not UTF-8: an error naming file and line, or replaced on request and counted', async () => {
    const bytes = Buffer.concat([Buffer.from('path,total_conversions\na > b,1\nc > '), Buffer.from([0xff]), Buffer.from('d,2\n')])
    const p = file('latin1.csv', bytes)
    const r = await cli(['attribute', p, '--models', 'last'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${p}:3: (input): expected UTF-8 text (--replace-invalid-utf8 reads such bytes as U+FFFD, counted), got "invalid UTF-8 (0xff)"`)
    const replaced = await cli(['attribute', p, '--models', 'last', '--replace-invalid-utf8', '--format', 'json'])
    expect(replaced.code).toBe(0)
    expect(replaced.stderr).toContain('replaced 1 byte sequence that were not UTF-8 with U+FFFD')
    expect(rowsOf(replaced.stdout).map((x) => x['channel'])).toEqual(['a', 'b', 'c', '\ufffdd'])
  })

  it('--on-error skip that skipped every line exits 1 and writes nothing', async () => {
    const p = file('all-bad.csv', 'path,total_conversions\na,x\nb,-1\n')
    const out = join(dir, 'never.csv')
    const r = await cli(['attribute', p, '--on-error', 'skip', '-o', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('every data line was bad (2 skipped); nothing was written')
    expect(r.stderr).toContain(`${p}:2: total_conversions`)
  })

  it('a JSON-lines file whose first record is larger than 64 KiB is told and read; a key given twice is refused', async () => {
    const first = JSON.stringify({ path: Array.from({ length: 20_000 }, (_, i) => `c${i % 9}`).join(' > '), total_conversions: 1 })
    const p = file('big-first.jsonl', `${first}\n{"path":"c1","total_conversions":2}\n`)
    const r = await cli(['attribute', p, '--models', 'last', '--format', 'json', '-q'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const twice = file('twice.jsonl', '{"path":"a","total_conversions":1,"path":"b"}\n')
    const t = await cli(['attribute', twice, '--models', 'last'])
    expect(t.code).toBe(1)
    expect(t.stderr).toContain(`${twice}:1: column 35: path: expected each key once (this one is also at column 2), got "path"`)
  })
})

describe('sharding lives in the pipeline', () => {
  it('report --workers 2 gives the report one thread gives', async () => {
    const { writePaths } = await import('../../scripts/generate-paths')
    const p = join(dir, 'report-paths.csv')
    await writePaths(6000, 'report-workers', p)
    const args = ['report', p, '--format', 'json', '--bootstrap', '0', '-q']
    const one = await cli([...args, '--workers', '1'])
    const two = await cli([...args, '--workers', '2'])
    expect(one.code).toBe(0)
    expect(two.stderr).toBe('')
    expect(two.code).toBe(0)
    // Merged shards list channels in another order and add sums in another order: compare by channel, to rounding.
    type Report = { readonly touchpoints: ReadonlyArray<Record<string, unknown>> }
    const byName = (r: Report) => new Map(r.touchpoints.map((t) => [t['channel'], JSON.stringify(t, (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v))]))
    const a = byName(JSON.parse(one.stdout) as Report)
    const b = byName(JSON.parse(two.stdout) as Report)
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort())
    for (const [k, v] of a) expect(b.get(k), String(k)).toBe(v)
  })
})
