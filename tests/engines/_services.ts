/**
 * Real engines for the tests, started on loopback ports in private temporary directories and stopped after:
 * PostgreSQL (a cluster of its own, run as the postgres user when the tests run as root) and ClickHouse (two
 * servers forming a two-shard cluster). An engine that cannot start is skipped with the reason, except under
 * CI (CI=true), where that fails the suite.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import type { SqlDriver } from '../../src/engines/driver'
import { openPostgres } from '../../src/engines/postgres'
import { orThrow } from '../_engines'

export interface Service<A> {
  readonly value: A
  readonly stop: () => Promise<void>
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** What a suite body gets: the service once started (`get` skips the calling test when it could not start). */
export interface Started<A> {
  readonly get: (ctx: { skip: (note?: string) => never }) => A
  readonly value: () => A | undefined
}

/**
 * A describe block around a service: started once before its tests (hooks the body registers run after), stopped
 * after them.
 */
export const serviceSuite = <A>(name: string, start: () => Promise<Service<A>>, body: (service: Started<A>) => void) =>
  describe(name, () => {
    let service: Service<A> | undefined
    let reason = ''
    beforeAll(async () => {
      try {
        service = await start()
      } catch (e) {
        reason = `${name} could not start: ${e instanceof Error ? e.message : String(e)}`
        if (process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: every engine must run)`)
        console.warn(`SKIPPED ${name}: ${reason}`)
      }
    }, 240_000)
    afterAll(async () => {
      await service?.stop()
    })
    body({
      get: (ctx) => {
        if (service === undefined) return ctx.skip(reason)
        return service.value
      },
      value: () => service?.value,
    })
  })

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0

const pgBin = (): string => {
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : []
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin')
  throw new Error('no PostgreSQL server binaries in /usr/lib/postgresql (apt-get install postgresql)')
}

/** Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root), else as ourselves. */
const asPostgres = (bin: string, args: ReadonlyArray<string>) =>
  isRoot() ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' }) : execFileSync(bin, [...args], { stdio: 'pipe' })

/** A private PostgreSQL cluster on a free loopback port; its URL (trust authentication, user postgres). */
export const startPostgres = async (): Promise<Service<{ url: string; version: string }>> => {
  const bin = pgBin()
  const dir = mkdtempSync(join(tmpdir(), 'tp-pg-'))
  chmodSync(dir, 0o755)
  if (isRoot()) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()))
  const data = join(dir, 'data')
  const port = await freePort()
  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  try {
    asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C'])
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c TimeZone=UTC`, 'start'])
  } catch (e) {
    cleanup()
    const err = e as { stderr?: Buffer; message: string }
    throw new Error(err.stderr?.toString() || err.message)
  }
  const version = execFileSync(join(bin, 'postgres'), ['--version']).toString().trim()
  return {
    value: { url: `postgres://postgres@127.0.0.1:${port}/postgres`, version },
    stop: async () => {
      try {
        asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        cleanup()
      }
    },
  }
}

/** A suite's PostgreSQL: the harness's server, touchpoint's driver on it, and a `pg` client that loads tables. */
export interface PostgresConnections {
  readonly url: string
  readonly version: string
  /** touchpoint's driver (openPostgres), as the engines use it. */
  readonly driver: SqlDriver
  /** A plain `pg` client for CREATE, INSERT and the like. */
  readonly loader: pg.Client
  /** INSERT `rows` into `table` (`columns` as SQL), 500 rows a statement, the values bound as parameters. */
  readonly insert: (table: string, columns: string, rows: ReadonlyArray<ReadonlyArray<unknown>>) => Promise<void>
}

/**
 * A describe block on a private PostgreSQL (`startPostgres`, skipped as `serviceSuite` says), with the driver and the
 * loader connected before the body's own hooks run and closed after them.
 */
export const postgresSuite = (name: string, body: (postgres: Started<PostgresConnections>) => void) =>
  serviceSuite(name, startPostgres, (server) => {
    let driver: SqlDriver | undefined
    let loader: pg.Client | undefined
    let connections: PostgresConnections | undefined
    beforeAll(async () => {
      const s = server.value()
      if (s === undefined) return
      driver = orThrow(await openPostgres({ url: s.url }))
      const client = new pg.Client({ connectionString: s.url })
      loader = client
      await client.connect()
      const insert = async (table: string, columns: string, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
        const width = rows[0]?.length ?? 0
        for (let from = 0; from < rows.length; from += 500) {
          const batch = rows.slice(from, from + 500)
          const values = batch.map((_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ')
          await client.query(`INSERT INTO ${table} (${columns}) VALUES ${values}`, batch.flat())
        }
      }
      connections = { url: s.url, version: s.version, driver, loader: client, insert }
    })
    afterAll(async () => {
      await driver?.close()
      await loader?.end()
    })
    body({
      get: (ctx) => {
        server.get(ctx)
        // Started but not connected: beforeAll failed, which fails the suite's tests with its own error.
        if (connections === undefined) throw new Error('PostgreSQL started but the connections were not made (see the beforeAll error)')
        return connections
      },
      value: () => connections,
    })
  })

export interface ClickHouseCluster {
  /** HTTP base URLs of the two servers; the first holds the Distributed tables. */
  readonly urls: readonly [string, string]
  readonly version: string
  /** The cluster name in both servers' remote_servers. */
  readonly cluster: string
}

const clickhouseServer = (): string => {
  for (const p of ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse']) if (existsSync(p)) return p
  throw new Error('no clickhouse-server (apt-get install clickhouse-server clickhouse-client)')
}

const chConfig = (dir: string, http: number, tcp: number, shards: readonly [number, number]) => `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><console>0</console></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <timezone>UTC</timezone>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709120</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <remote_servers>
    <two_shards>
      <shard><replica><host>127.0.0.1</host><port>${shards[0]}</port><user>default</user><password>${CLICKHOUSE_PASSWORD}</password></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>${shards[1]}</port><user>default</user><password>${CLICKHOUSE_PASSWORD}</password></replica></shard>
    </two_shards>
  </remote_servers>
</yandex>
`

// A default user with a password, so the tests see that the password never reaches a message.
const chUsers = (password: string) => `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password>${password}</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`

export const CLICKHOUSE_PASSWORD = 'tp-s3cret-pw'

const waitForHttp = async (url: string, child: ChildProcess, log: () => string): Promise<string> => {
  // 60 s: ClickHouse 18.16 can take tens of seconds to start on a loaded 2-core machine (CI runs test files in parallel).
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited (${child.exitCode}): ${log()}`)
    try {
      const r = await fetch(`${url}/?user=default&password=${CLICKHOUSE_PASSWORD}`, { method: 'POST', body: 'SELECT version()' })
      if (r.ok) return (await r.text()).trim()
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error(`clickhouse-server did not answer on ${url} within 60 s: ${log()}`)
}

/** Two clickhouse-server processes on loopback ports, each knowing both as the cluster `two_shards`. */
export const startClickHouseCluster = async (): Promise<Service<ClickHouseCluster>> => {
  const server = clickhouseServer()
  const root = mkdtempSync(join(tmpdir(), 'tp-ch-'))
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()])
  const tcp = [ports[0]!, ports[1]!] as const
  const http = [ports[2]!, ports[3]!] as const
  const children: Array<ChildProcess> = []
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve()
            const timer = setTimeout(() => c.kill('SIGKILL'), 10_000)
            c.once('exit', () => {
              clearTimeout(timer)
              resolve()
            })
            c.kill('SIGTERM')
          }),
      ),
    )
    rmSync(root, { recursive: true, force: true })
  }
  try {
    const versions: Array<string> = []
    for (let i = 0; i < 2; i++) {
      const dir = join(root, `shard${i + 1}`)
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true })
      writeFileSync(join(dir, 'users.xml'), chUsers(CLICKHOUSE_PASSWORD))
      writeFileSync(join(dir, 'config.xml'), chConfig(dir, http[i]!, tcp[i]!, tcp))
      let output = ''
      const child = spawn(server, [`--config-file=${join(dir, 'config.xml')}`], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir })
      child.stdout?.on('data', (b: Buffer) => (output += b.toString()))
      child.stderr?.on('data', (b: Buffer) => (output += b.toString()))
      children.push(child)
      versions.push(await waitForHttp(`http://127.0.0.1:${http[i]}`, child, () => output.slice(-2000)))
    }
    return { value: { urls: [`http://127.0.0.1:${http[0]}`, `http://127.0.0.1:${http[1]}`], version: versions[0]!, cluster: 'two_shards' }, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
