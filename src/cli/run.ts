/**
 * Dispatch `touchpoint <command>`; every command returns an exit code and never throws for bad input.
 *
 * @module
 */
import { analyzeCommand } from './commands/analyze'
import { assignCommand } from './commands/assign'
import { attributeCommand } from './commands/attribute'
import { compileCommand, previewCommand, validateCommand } from './commands/configCommands'
import { reportCommand } from './commands/report'
import { sqlCommand } from './commands/sql'
import { EXIT_OK, EXIT_USAGE, type Command, type Io } from './io'

/** Every subcommand. Register new ones here. */
export const commands: ReadonlyArray<Command> = [assignCommand, validateCommand, compileCommand, previewCommand, attributeCommand, analyzeCommand, reportCommand, sqlCommand]

const usage = (): string =>
  `Usage: touchpoint <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "touchpoint <command> --help" for a command's options.
`

export const run = async (argv: ReadonlyArray<string>, io: Io = process): Promise<number> => {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ;(name === undefined ? io.stderr : io.stdout).write(usage())
    return name === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write('touchpoint 0.1.0\n')
    return EXIT_OK
  }
  const command = commands.find((c) => c.name === name)
  if (command === undefined) {
    io.stderr.write(`touchpoint: unknown command ${JSON.stringify(name)}\n\n${usage()}`)
    return EXIT_USAGE
  }
  return command.run(rest, io)
}
