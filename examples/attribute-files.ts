/**
 * Attribution from a Node script: `npx tsx examples/attribute-files.ts [FILE...]` (default examples/paths.csv).
 * The files stream through the reader `touchpoint attribute` uses; the partial result could as well be merged
 * with other machines' (`mergePartials`) or stored as JSON before `attribute` turns it into credits.
 */
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { attribute, formatAttribution } from 'touchpoint/attribution'
import { formatError, readAttributionFiles } from 'touchpoint/node'

const files = process.argv.length > 2 ? process.argv.slice(2) : [fileURLToPath(new URL('./paths.csv', import.meta.url))]
const read = await readAttributionFiles({ settings: { order: 2 }, onError: 'skip' })(files)

pipe(
  read,
  E.flatMap(({ partial, rows, skipped, skippedLines }) => {
    console.error(`${rows} rows read, ${skipped} bad lines skipped`)
    for (const s of skippedLines) console.error(`  ${s.file}:${s.line}: ${s.message}`)
    return attribute({ models: ['first', 'last', 'linear', 'markov', 'shapley'] })(partial)
  }),
  E.match(
    (e) => {
      console.error(formatError(e))
      process.exitCode = 1
    },
    (credits) => process.stdout.write(formatAttribution('markdown')(credits)),
  ),
)
