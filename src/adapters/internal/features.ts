/**
 * The features the constructors in ../features.ts made (frozen): `edgeWorker` takes only these, so a look-alike
 * from plain JavaScript, whose hooks could hold anything, is refused by identity rather than field by field.
 */
export const madeFeatures = /* @__PURE__ */ new WeakSet<object>()
