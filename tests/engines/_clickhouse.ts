/** Loading test tables into the harness's two-shard ClickHouse cluster over HTTP (the tests' side, not the driver). */
import { CLICKHOUSE_PASSWORD } from './_services'

/** A statement on one server, over HTTP, rows as JSON lines in the body for INSERT. */
export const chExec = async (base: string, sql: string, body?: string): Promise<string> => {
  const url = new URL(base)
  url.searchParams.set('user', 'default')
  url.searchParams.set('password', CLICKHOUSE_PASSWORD)
  if (body !== undefined) url.searchParams.set('query', sql)
  const r = await fetch(url, { method: 'POST', body: body ?? sql })
  const text = await r.text()
  if (!r.ok) throw new Error(`ClickHouse: ${text}`)
  return text
}

/** A table `name_local` on both servers and `name` on the first, Distributed over them. */
export const clusterTable = async (urls: readonly [string, string], name: string, columns: string) => {
  for (const u of urls) {
    await chExec(u, `DROP TABLE IF EXISTS ${name}_local`)
    await chExec(u, `CREATE TABLE ${name}_local (${columns}) ENGINE = MergeTree ORDER BY tuple()`)
  }
  await chExec(urls[0], `DROP TABLE IF EXISTS ${name}`)
  await chExec(urls[0], `CREATE TABLE ${name} AS ${name}_local ENGINE = Distributed(two_shards, default, ${name}_local)`)
}

/** Rows as JSON lines into the local tables, alternately (so each shard holds part of every user's events). */
export const spread = async (urls: readonly [string, string], name: string, rows: ReadonlyArray<Record<string, unknown>>) => {
  for (let shard = 0; shard < 2; shard++) {
    const mine = rows.filter((_, i) => i % 2 === shard)
    if (mine.length > 0) await chExec(urls[shard]!, `INSERT INTO ${name}_local FORMAT JSONEachRow`, mine.map((r) => JSON.stringify(r)).join('\n'))
  }
}
