/**
 * An esbuild plugin that marks io-ts's module-level class definitions and instances as pure, so bundlers can
 * drop the ones a bundle does not use.
 *
 * io-ts's es6 build defines every codec class as `var X = /** @class *\/ (function (_super) { ... }(Type))` and
 * creates instances at module level (`export var string = new StringType()`); neither is marked pure, so any
 * import of io-ts keeps all of it (8.6 KB minified for `Type` alone). With the annotations added here, `Type`
 * alone costs 2.1 KB. tsup applies this when bundling io-ts into dist (noExternal), and the bundle-size tests
 * apply it to bundle src the same way. It only adds comments: no code changes.
 */
import { readFile } from 'node:fs/promises'
import type { Plugin } from 'esbuild'

const annotate = (source: string): string =>
  source
    .replaceAll('/** @class */ (function', '/* @__PURE__ */ (function')
    .replace(/^((?:export )?var \w+ = )new /gm, '$1/* @__PURE__ */ new ')
    .replace(/^((?:export )?var \w+ = )(refinement|brand|type|union|intersection|keyof|record|array|readonlyArray|strict|exact|partial|literal)\(/gm, '$1/* @__PURE__ */ $2(')

export const pureAnnotations: Plugin = {
  name: 'touchpoint-pure-annotations',
  setup(build) {
    build.onLoad({ filter: /[\\/]io-ts[\\/]es6[\\/]index\.js$/ }, async (args) => ({
      contents: annotate(await readFile(args.path, 'utf8')),
      loader: 'js',
    }))
  },
}
