// The single mingo entry point of the server. mingo's default exports rebuild (merge) their whole
// operator table on every Query/Aggregator they create, which showed up as the top cost in
// profiles; here the table, including our geo operator, is built once and passed to mingo's base
// classes.
import { Aggregator } from "mingo/aggregator";
import { Context } from "mingo/core";
import type { Cursor } from "mingo/cursor";
import * as accumulator from "mingo/operators/accumulator";
import * as expression from "mingo/operators/expression";
import * as pipeline from "mingo/operators/pipeline";
import * as projection from "mingo/operators/projection";
import * as query from "mingo/operators/query";
import * as window from "mingo/operators/window";
import { Query } from "mingo/query";
import type { Options, QueryOperator } from "mingo/types";
import { updateOne } from "mingo/updater";
import { isPlainObject } from "./doc.ts";
import type { Doc } from "./doc.ts";
import type { GeoPredicate } from "./geo.ts";

/** Name of the custom query operator geo clauses are rewritten into (see query.ts). */
export const GEO_OP = "$geoMatch_";

// mingo's QueryOperator type is an intersection of every built-in signature; ours is the simple
// (selector, value) => predicate shape every query operator has at runtime.
const geoOperator = ((selector: string, value: unknown) => (obj: Doc) =>
  (value as GeoPredicate).test(obj, selector)) as unknown as QueryOperator;

const CONTEXT = Context.init({
  accumulator,
  expression,
  pipeline,
  projection,
  query: { ...query, [GEO_OP]: geoOperator },
  window,
});

export interface MingoExtras {
  collation?: unknown;
  collectionResolver?: ((name: string) => Doc[]) | undefined;
}

/** mingo options: strict MongoDB semantics, our operator table; "simple" collation means none. */
export function mingoOptions(extra: MingoExtras = {}): Partial<Options> {
  const opts: { -readonly [K in keyof Options]?: Options[K] } = {
    idKey: "_id",
    useStrictMode: true,
    scriptEnabled: true,
    context: CONTEXT,
  };
  const collation = extra.collation;
  if (isPlainObject(collation) && typeof collation.locale === "string" && collation.locale !== "simple") {
    opts.collation = collation as unknown as Options["collation"];
  }
  if (extra.collectionResolver) opts.collectionResolver = extra.collectionResolver;
  return opts;
}

export function newQuery(condition: Doc, extra: MingoExtras = {}): Query<Doc> {
  return new Query<Doc>(condition, mingoOptions(extra));
}

/** A mingo cursor over `docs` (no filter) for sort/skip/limit/projection. */
export function cursorOver(docs: Doc[], projectionSpec: Doc, extra: MingoExtras = {}): Cursor<Doc> {
  return new Query<Doc>({}, mingoOptions(extra)).find<Doc>(docs, projectionSpec);
}

export function runAggregation(stages: Doc[], docs: Doc[], extra: MingoExtras = {}): Doc[] {
  return new Aggregator(stages, mingoOptions(extra)).run<Doc>(docs);
}

export { updateOne };
