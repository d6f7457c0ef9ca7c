/**
 * Table names reach SQL only checked and quoted; junk for the dialect or the name is a Left naming it.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { Dialect } from '../../src/sql/dialect'
import { DIALECTS } from '../../src/sql/dialects'
import { quoteTable } from '../../src/sql/identifiers'

const pathOf = (r: E.Either<{ readonly _tag: string; readonly issues?: ReadonlyArray<{ readonly path: string }> }, unknown>) =>
  E.isLeft(r) ? r.left.issues?.map((i) => i.path) : r.right

describe('quoteTable', () => {
  it('quotes each dotted part for the dialect', () => {
    expect(quoteTable(DIALECTS.bigquery)('project.dataset.events_*')).toEqual(E.right('`project.dataset.events_*`'))
    expect(quoteTable(DIALECTS.postgres)('analytics.events')).toEqual(E.right('"analytics"."events"'))
  })

  it('refuses a name that could close its quotes, naming the table', () => {
    expect(pathOf(quoteTable(DIALECTS.duckdb)('a"b'))).toEqual(['table'])
  })

  // The export surface suite found these throwing (dialect.table read off undefined, or not a function).
  test.prop([fc.anything().filter((u) => !(u !== null && typeof u === 'object' && typeof (u as { table?: unknown }).table === 'function'))])(
    'a dialect that is none is a Left naming the dialect, never a throw',
    (junk) => {
      expect(pathOf(quoteTable(junk as never)('events'))).toEqual(['dialect'])
    },
  )

  it('a dialect of the caller\'s own whose table gives no text is named', () => {
    const own = { ...DIALECTS.duckdb, table: () => 42 } as unknown as Dialect
    expect(pathOf(quoteTable(own)('events'))).toEqual(['dialect.table'])
  })

  test.prop([fc.anything()])('any name: a Left or quoted text, never a throw', (name) => {
    const r = quoteTable(DIALECTS.clickhouse)(name as never)
    expect(E.isLeft(r) ? pathOf(r) : typeof r.right).toEqual(E.isLeft(r) ? ['table'] : 'string')
  })
})
