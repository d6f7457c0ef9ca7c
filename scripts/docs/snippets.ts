/**
 * Code samples as programs: JSDoc `@example`s in src/** and ```ts blocks in README.md and docs/*.md are cut out,
 * turned into one module each (with `// =>` claims wrapped in `__check(id, …)`), type-checked together with the
 * sources, and run. Line numbers are kept, so every message points at the doc's own line.
 *
 * Names a sample uses without declaring or importing come, in this order, from: the module the JSDoc sits in (its
 * exports, internal helpers included), tests/docs/context.ts (the fixtures samples may assume: `assigner`,
 * `partial`, `report`, `datafile`…), the usual fp-ts names (`pipe`, `flow`, `E`, `O`, `TE`), and, for JSDoc only,
 * the public entries. A ```ts block in a Markdown file also sees the imports of the blocks above it in that file.
 *
 * @module
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { isBalanced, type Parsed, parseClaim } from './expect'

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..')
/** Where the generated modules go (git-ignored); one file per sample. */
export const OUT = join(ROOT, '.docs-check')
export const CONTEXT = join(ROOT, 'tests/docs/context.ts')

export interface Snippet {
  /** `src/attribution/rules.ts:15`, `README.md:52`: file and line of the sample's first line. */
  readonly id: string
  readonly file: string
  readonly line: number
  readonly code: string
  readonly kind: 'jsdoc' | 'markdown'
  /** Markdown: the import declarations of the ```ts blocks above, in the same file. */
  readonly carried: ReadonlyArray<string>
}

export interface Claim {
  readonly id: number
  readonly snippet: Snippet
  /** Line in the doc file. */
  readonly line: number
  readonly text: string
  readonly parsed: Parsed | Error
}

export interface Prepared {
  readonly snippet: Snippet
  readonly module: string
  /** The generated file, and how many lines precede the sample's first line in it. */
  readonly path: string
  readonly offset: number
  readonly claims: ReadonlyArray<Claim>
  /** Problems found before running: a claim in the wrong place, a name nothing provides. */
  readonly problems: ReadonlyArray<string>
}

const lines = (text: string): Array<string> => text.split('\n')

/** Every `@example` of every JSDoc comment in a TypeScript source. */
export const jsdocExamples = (file: string, text: string): Array<Snippet> => {
  const out: Array<Snippet> = []
  const all = lines(text)
  let inDoc = false
  for (let i = 0; i < all.length; i++) {
    const l = all[i]!
    if (/^\s*\/\*\*/.test(l)) inDoc = true
    if (inDoc && /^\s*\*\s*@example\b/.test(l)) {
      const body: Array<string> = []
      let j = i + 1
      for (; j < all.length; j++) {
        const m = all[j]!
        if (/^\s*\*\s*@\w/.test(m) || /\*\//.test(m)) break
        body.push(m.replace(/^\s*\* ?/, ''))
      }
      while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop()
      out.push({ id: `${file}:${i + 2}`, file, line: i + 2, code: body.join('\n'), kind: 'jsdoc', carried: [] })
      i = j - 1
    }
    if (/\*\//.test(l)) inDoc = false
  }
  return out
}

/** Every ```ts block of a Markdown file, each carrying the imports of the blocks above it. */
export const markdownCode = (file: string, text: string): Array<Snippet> => {
  const out: Array<Snippet> = []
  const all = lines(text)
  const carried: Array<string> = []
  for (let i = 0; i < all.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(all[i]!)) continue
    let j = i + 1
    while (j < all.length && !/^```\s*$/.test(all[j]!)) j++
    const code = all.slice(i + 1, j).join('\n')
    out.push({ id: `${file}:${i + 2}`, file, line: i + 2, code, kind: 'markdown', carried: [...carried] })
    const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
    for (const s of source.statements) if (ts.isImportDeclaration(s)) carried.push(s.getText(source).replace(/\s*\n\s*/g, ' '))
    i = j
  }
  return out
}

/** Names declared anywhere in the sample (parameters and locals included) and names it uses. */
const namesOf = (source: ts.SourceFile): { declared: Set<string>; used: Set<string> } => {
  const declared = new Set<string>()
  const used = new Set<string>()
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const p = node.parent
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isQualifiedName(p) && p.right === node) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isPropertySignature(p) && p.name === node) ||
        (ts.isPropertyDeclaration(p) && p.name === node) ||
        (ts.isMethodDeclaration(p) && p.name === node) ||
        (ts.isMethodSignature(p) && p.name === node) ||
        (ts.isBindingElement(p) && p.propertyName === node) ||
        (ts.isImportSpecifier(p) && p.propertyName === node) ||
        (ts.isExportSpecifier(p) && p.propertyName === node) ||
        ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p) ||
        (ts.isEnumMember(p) && p.name === node)
      const isDeclaration =
        ((ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isParameter(p) || ts.isClassDeclaration(p) ||
          ts.isTypeAliasDeclaration(p) || ts.isInterfaceDeclaration(p) || ts.isTypeParameterDeclaration(p) ||
          ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportSpecifier(p) || ts.isFunctionExpression(p) ||
          ts.isBindingElement(p) || ts.isImportEqualsDeclaration(p)) && (p as { name?: ts.Node }).name === node)
      if (isDeclaration) declared.add(node.text)
      else if (!isName) used.add(node.text)
    }
    if (ts.isShorthandPropertyAssignment(node)) used.add(node.name.text)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { declared, used }
}

/** What the generator may import a free name from: a module path (repo-relative) and whether it is a value. */
export interface Provider {
  readonly module: string
  readonly names: ReadonlyMap<string, 'value' | 'type'>
}

const FP_TS: ReadonlyArray<readonly [string, string]> = [
  ['pipe', "import { pipe } from 'fp-ts/function'"],
  ['flow', "import { flow } from 'fp-ts/function'"],
  ['E', "import * as E from 'fp-ts/Either'"],
  ['O', "import * as O from 'fp-ts/Option'"],
  ['TE', "import * as TE from 'fp-ts/TaskEither'"],
]

/** The public entries, in the order a JSDoc sample's free names are looked up in them. */
export const ENTRIES = [
  'src/index.ts', 'src/assignment/index.ts', 'src/stats/index.ts', 'src/attribution/index.ts', 'src/report/index.ts',
  'src/edge.ts', 'src/adapters/node.ts', 'src/sql/index.ts', 'src/engines/index.ts', 'src/experiments/index.ts',
]

/** Exports of each module, by the type checker (so a type is imported with `import type`). */
export const providers = (modules: ReadonlyArray<string>): { table: Map<string, Provider>; program: ts.Program } => {
  const files = modules.map((m) => join(ROOT, m))
  const program = ts.createProgram(files, compilerOptions())
  const checker = program.getTypeChecker()
  const out = new Map<string, Provider>()
  for (const m of modules) {
    const source = program.getSourceFile(join(ROOT, m))
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    const names = new Map<string, 'value' | 'type'>()
    if (symbol !== undefined) {
      for (const s of checker.getExportsOfModule(symbol)) {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s
        names.set(s.name, target.flags & ts.SymbolFlags.Value ? 'value' : 'type')
      }
    }
    out.set(m, { module: m, names })
  }
  return { table: out, program }
}

/** Root tsconfig's options, for the samples: unused names are fine in a sample. */
export const compilerOptions = (): ts.CompilerOptions => {
  const read = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT)
  return { ...parsed.options, noUnusedLocals: false, noUnusedParameters: false, allowUnreachableCode: true, noEmit: true }
}

/** `touchpoint/stats` -> `src/stats/index.ts`, from tsconfig's paths (what the type-check uses too). */
const packagePaths = (): Map<string, string> => {
  const paths = compilerOptions().paths ?? {}
  return new Map(Object.entries(paths).map(([k, v]) => [k, v[0]!.replace(/^\.\//, '')]))
}

const specifier = (fromDir: string, repoPath: string): string => {
  const r = relative(fromDir, join(ROOT, repoPath)).replace(/\.ts$/, '')
  return r.startsWith('.') ? r : `./${r}`
}

let nextClaim = 0

/** Turns a sample into a module; pure apart from the claim counter. */
export const prepare = (snippet: Snippet, lookup: ReadonlyArray<Provider>, outDir = OUT): Prepared => {
  const problems: Array<string> = []
  const claims: Array<Claim> = []
  const path = join(outDir, `${snippet.file.replace(/[/.]/g, '_')}_${snippet.line}.ts`)
  const source = ts.createSourceFile(path, snippet.code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const text = snippet.code
  const edits: Array<{ at: number; end: number; text: string }> = []
  const statements = source.statements
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line
  const seen = new Set<number>()
  statements.forEach((statement, k) => {
    const after = [
      ...(ts.getTrailingCommentRanges(text, statement.end) ?? []),
      ...(ts.getLeadingCommentRanges(text, k + 1 < statements.length ? statements[k + 1]!.pos : source.endOfFileToken.pos) ?? []),
    ].filter((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia && !seen.has(c.pos))
    after.forEach((c) => seen.add(c.pos))
    let found = 0
    for (let c = 0; c < after.length; c++) {
      const comment = text.slice(after[c]!.pos, after[c]!.end)
      const m = /^\/\/\s*=>(.*)$/.exec(comment)
      if (m === null) continue
      found++
      const line = snippet.line + lineOf(after[c]!.pos)
      let claimText = m[1]!
      let last = lineOf(after[c]!.pos)
      while (!isBalanced(claimText) && c + 1 < after.length && lineOf(after[c + 1]!.pos) === last + 1) {
        c++
        last++
        claimText += ` ${text.slice(after[c]!.pos + 2, after[c]!.end).trim()}`
      }
      if (found > 1) {
        problems.push(`${snippet.file}:${line}: a second "// =>" claim after one statement (one claim per statement; write alternatives as plain comments)`)
        continue
      }
      let parsed: Parsed | Error
      try {
        parsed = parseClaim(claimText)
      } catch (e) {
        parsed = e as Error
      }
      const id = nextClaim++
      const claim: Claim = { id, snippet, line, text: claimText.trim(), parsed }
      if (ts.isExpressionStatement(statement)) {
        const e = statement.expression
        edits.push({ at: e.getStart(source), end: e.getStart(source), text: `__check(${id}, ` }, { at: e.end, end: e.end, text: ')' })
        claims.push(claim)
      } else if (
        ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 &&
        ts.isIdentifier(statement.declarationList.declarations[0]!.name)
      ) {
        const name = (statement.declarationList.declarations[0]!.name as ts.Identifier).text
        edits.push({ at: statement.end, end: statement.end, text: `; __check(${id}, ${name})` })
        claims.push(claim)
      } else {
        problems.push(`${snippet.file}:${claim.line}: a "// =>" claim must follow an expression or a one-name declaration`)
      }
    }
  })
  const claimLines = text.split('\n').filter((l) => /\/\/\s*=>/.test(l)).length
  const counted = claims.length + problems.length
  if (claimLines > counted) {
    problems.push(`${snippet.id}: ${claimLines - counted} "// =>" claim(s) not after a top-level statement (inside a block or before any code)`)
  }
  // Apply the edits back to front, so positions stay valid; none adds a line.
  let body = text
  for (const e of [...edits].sort((a, b) => b.at - a.at)) body = body.slice(0, e.at) + e.text + body.slice(e.end)
  const paths = packagePaths()
  const dir = dirname(path)
  body = body.replace(/(from\s+|import\s*\(\s*)(['"])(touchpoint(?:\/[\w-]+)?)\2/g, (all, pre: string, q: string, name: string) => {
    const target = paths.get(name)
    return target === undefined ? all : `${pre}${q}${specifier(dir, target)}${q}`
  })

  const { declared, used } = namesOf(source)
  const prelude: Array<string> = [`import { __check } from '${specifier(dir, 'scripts/docs/harness.ts')}'`]
  const carried = snippet.carried.filter((imp) => {
    const s = ts.createSourceFile('i.ts', imp, ts.ScriptTarget.Latest, true)
    const names = namesOf(s).declared
    const wanted = [...names].some((n) => used.has(n) && !declared.has(n))
    if (wanted) names.forEach((n) => declared.add(n))
    return wanted
  })
  for (const imp of carried) {
    prelude.push(imp.replace(/(from\s+)(['"])(touchpoint(?:\/[\w-]+)?)\2/, (all, pre: string, q: string, name: string) => {
      const target = paths.get(name)
      return target === undefined ? all : `${pre}${q}${specifier(dir, target)}${q}`
    }))
  }
  const byModule = new Map<string, Array<string>>()
  for (const name of [...used].sort()) {
    if (declared.has(name) || name === '__check') continue
    const fp = FP_TS.find(([n]) => n === name)
    const provider = lookup.find((p) => p.names.has(name))
    if (provider !== undefined) {
      const list = byModule.get(provider.module) ?? []
      list.push(provider.names.get(name) === 'type' ? `type ${name}` : name)
      byModule.set(provider.module, list)
    } else if (fp !== undefined) prelude.push(fp[1])
  }
  for (const [module, names] of byModule) prelude.push(`import { ${names.join(', ')} } from '${specifier(dir, module)}'`)
  const header = `// Generated from ${snippet.id} by scripts/docs/snippets.ts; edit the sample there.`
  const module = [header, ...prelude, body, ''].join('\n')
  return { snippet, module, path, offset: prelude.length + 1, claims, problems }
}

/** The lookup order for a sample's free names (see the module comment). */
export const lookupFor = (snippet: Snippet, table: ReadonlyMap<string, Provider>): Array<Provider> => {
  const order = snippet.kind === 'jsdoc' ? [snippet.file, 'tests/docs/context.ts', ...ENTRIES] : ['tests/docs/context.ts']
  return order.map((m) => table.get(m)).filter((p): p is Provider => p !== undefined)
}

export const writeModules = (prepared: ReadonlyArray<Prepared>, outDir = OUT): void => {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  for (const p of prepared) writeFileSync(p.path, p.module)
}

/** Type errors per sample, located at the doc's own lines. */
export const typeErrors = (prepared: ReadonlyArray<Prepared>, old?: ts.Program): Map<string, Array<string>> => {
  const ambient = join(ROOT, 'scripts/docs/ambient.d.ts')
  const program = ts.createProgram([...prepared.map((p) => p.path), ambient], compilerOptions(), undefined, old)
  const byPath = new Map(prepared.map((p) => [p.path, p]))
  const out = new Map<string, Array<string>>(prepared.map((p) => [p.snippet.id, []]))
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    const p = d.file === undefined ? undefined : byPath.get(d.file.fileName)
    if (p === undefined || d.file === undefined || d.start === undefined) {
      const where = d.file === undefined ? '' : `${relative(ROOT, d.file.fileName)}: `
      for (const list of out.values()) list.push(`${where}TS${d.code}: ${message}`)
      continue
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
    const docLine = line - p.offset + p.snippet.line
    const where = line < p.offset ? `${p.snippet.id} (the imports added for it)` : `${p.snippet.file}:${docLine}:${character + 1}`
    out.get(p.snippet.id)!.push(`${where}: TS${d.code}: ${message}`)
  }
  return out
}

/** Every sample of the repository: JSDoc examples under src/, ```ts blocks of README.md and docs/*.md. */
export const allSnippets = (sources: ReadonlyArray<string>, markdown: ReadonlyArray<string>): Array<Snippet> => [
  ...sources.flatMap((f) => jsdocExamples(f, readFileSync(join(ROOT, f), 'utf8'))),
  ...markdown.flatMap((f) => markdownCode(f, readFileSync(join(ROOT, f), 'utf8'))),
]
