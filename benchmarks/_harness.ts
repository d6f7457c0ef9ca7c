/**
 * A small harness over tinybench: each case runs a batch of calls per iteration (so the timer's own cost does
 * not swamp a 30 ns operation), and results print as the median time per call and the ratio to a baseline.
 */
import { Bench } from 'tinybench'

export interface Case {
  readonly name: string
  /** Runs `batch` calls; returns something derived from the results so nothing is optimised away. */
  readonly run: () => unknown
}

export interface Row {
  readonly name: string
  readonly medianNs: number
  readonly ratio: number
}

let sink: unknown
/** Keeps results alive. */
export const consume = (value: unknown): void => {
  sink = value
}

export const measure = async (title: string, cases: ReadonlyArray<Case>, options: { batch: number; baseline: string; time?: number }): Promise<ReadonlyArray<Row>> => {
  const bench = new Bench({ time: options.time ?? 400, warmupTime: 150 })
  for (const c of cases) bench.add(c.name, () => consume(c.run()))
  await bench.run()
  const medians = new Map(
    bench.tasks.map((task) => {
      const result = task.result as { latency?: { p50?: number } } | undefined
      return [task.name, ((result?.latency?.p50 ?? Number.NaN) * 1e6) / options.batch] as const
    }),
  )
  const base = medians.get(options.baseline) ?? Number.NaN
  const rows = cases.map((c) => ({ name: c.name, medianNs: medians.get(c.name)!, ratio: medians.get(c.name)! / base }))
  print(title, rows, options.baseline)
  return rows
}

export const print = (title: string, rows: ReadonlyArray<Row>, baseline: string): void => {
  const width = Math.max(...rows.map((r) => r.name.length), 10)
  console.log(`\n${title}`)
  console.log(`${'case'.padEnd(width)}  ${'median/call'.padStart(12)}  ${`x ${baseline}`.padStart(10)}`)
  for (const r of rows) {
    const time = r.medianNs >= 1000 ? `${(r.medianNs / 1000).toFixed(2)} µs` : `${r.medianNs.toFixed(1)} ns`
    console.log(`${r.name.padEnd(width)}  ${time.padStart(12)}  ${r.ratio.toFixed(2).padStart(10)}`)
  }
  void sink
}
