/**
 * ClickHouse: runs on 18.16 (Debian 12's, tested live as a two-shard cluster) and current releases. Before 21.x
 * there are no window functions and before 20.x no common table expressions, so events become journeys with
 * arrays (`journeys: 'arrays'`), and the first aggregation reads the source in the same SELECT, so that on a
 * `Distributed` table every shard computes its part and the initiator merges.
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { backQuoted, backslashString, numberText, WHITE_SPACE } from './standard'

const string = backslashString('x')
// RE2 reads the pattern as UTF-8: the class holds whole characters (checked on 18.16: 'Dï' keeps its ï).
const edges = `[${WHITE_SPACE}]+`
const trimPattern = string(`^${edges}|${edges}$`)

const windowsOnly = (): string => {
  throw new Error('ClickHouse builds journeys with arrays, not window functions')
}

/** @category dialect @since 0.2.0 */
export const clickhouse: Dialect = {
  name: 'clickhouse',
  journeys: 'arrays',
  lists: {
    map: (a, f) => `arrayMap(tp_l -> ${f('tp_l')}, ${a})`,
    some: (a, p) => `arrayExists(tp_l -> ${p('tp_l')}, ${a})`,
    lastIndex: (a, p) => `if(arrayExists(tp_l -> ${p('tp_l')}, ${a}), toInt64(length(${a})) + 1 - toInt64(arrayFirstIndex(tp_l -> ${p('tp_l')}, arrayReverse(${a}))), 0)`,
    sortedDistinct: (a, separator) => `arrayStringConcat(arraySort(arrayDistinct(${a})), ${string(separator)})`,
  },
  inlineSource: true,
  ident: backQuoted,
  table: (parts) => parts.map(backQuoted).join('.'),
  string,
  double: (x) => `toFloat64(${numberText(x)})`,
  text: (x) => `toString(${x})`,
  toDouble: (x) => `toFloat64(${x})`,
  split: (text, separator) => `splitByString(${string(separator)}, ${text})`,
  element: (array, i) => `${array}[${i}]`,
  length: (array) => `toInt64(length(${array}))`,
  explode: (columns, from, array, value, position) => `SELECT ${columns}, ${value}, ${position} FROM ${from} ARRAY JOIN ${array} AS ${value}, arrayEnumerate(${array}) AS ${position}`,
  fanOut: (columns, from, when, wide, narrow, value) => `SELECT ${columns}, ${value} FROM ${from} ARRAY JOIN if(${when}, [${wide.join(', ')}], [${narrow.join(', ')}]) AS ${value}`,
  orderedArray: (x, orderBy) => `arrayMap(tp_o -> tupleElement(tp_o, 2), arraySort(groupArray(((${orderBy.join(', ')}), ${x}))))`,
  distinctSorted: (x, separator) => `arrayStringConcat(arraySort(groupUniqArray(${x})), ${separator})`,
  trim: (x) => `replaceRegexpAll(${x}, ${trimPattern}, '')`,
  lower: (x) => `lowerUTF8(${x})`,
  ifNull: (x, fallback) => `ifNull(${x}, ${fallback})`,
  replace: (x, from, to) => `replaceAll(${x}, ${from}, ${to})`,
  concat: (parts) => (parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`),
  pow2: (x) => `pow(2, ${x})`,
  epochMs: (x) => `toFloat64(toUnixTimestamp(${x})) * 1000`,
  sumBefore: windowsOnly,
  maxBefore: windowsOnly,
}
