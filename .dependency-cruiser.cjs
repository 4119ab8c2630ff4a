/* global module -- CommonJS config file (typescript-eslint lints every file as an ES module) */
// The layering of issue 15 ("One-way house"), checked by dependency-cruiser in .ci/run (`npm run layers`).
//
// The house, top to bottom (an import may only point down):
//   bench, tests      harnesses: may import anything below them (bench reuses tests/support)
//   scripts           CLI entry points (scripts/job.ts runs the cron jobs of bot/cron)
//   bot               composition root and runtime: main, create-bot, intake, middleware, http, outbox, cron
//   sandbox           the no-token mode (fake Bot API, in-memory mongo), loaded only by bot/main.ts
//   handlers          grammY Composers (citizen/, staff/)
//   scenes            conversations
//   views             messages and keyboards drawn from more than one place
//   core              context, app deps, config, logger, i18n, format, capabilities, platforms
//   models            mongoose and the domain
//
// Every rule is an error: `npm run layers` exits non-zero on any violation. Type-only imports count
// (tsPreCompilationDeps), so an `import type` across a wall is as much a violation as a value import.

/** Top-level folders in layer order, highest first (see the picture above). */
const LAYERS = ["bench", "tests", "scripts", "bot", "sandbox", "handlers", "scenes", "views", "core", "models"];

/** `^(a|b|c)/` for a list of top-level folders. */
const under = (folders) => `^(${folders.join("|")})/`;

/**
 * no-folder-cycle-into-<layer>: one rule per layer, forbidding imports from any layer below it. With
 * no upward edge, the graph of top-level folders cannot have a cycle (a cycle needs an edge going up),
 * so this is the "no cycles between top-level folders" rule, and it names the edge to cut.
 */
const folderCycleRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-folder-cycle-into-${layer}`,
  comment:
    `${layer}/ sits above ${LAYERS.slice(i + 1).join(", ")} in the layer order; an import from those into ` +
    `${layer}/ points up and makes (or would make) a cycle between top-level folders.`,
  severity: "error",
  from: { path: under(LAYERS.slice(i + 1)) },
  to: { path: `^${layer}/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...folderCycleRules,
    {
      name: "no-file-cycle",
      comment:
        "No import cycle between files, even inside one folder: a cycle makes module load order matter " +
        "(ESM TDZ errors) and means two files are really one. An error, not a warning: it is cheap to satisfy " +
        "(the one cycle today, sandbox/bot-api/state.ts <-> transcript.ts, is two type-only imports).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "models-no-upward-or-grammy",
      comment:
        "models/ is the floor: mongoose and the domain. It imports no grammY (@grammyjs/* included), and " +
        "nothing from bot/, core/, handlers/, scenes/ or views/.",
      severity: "error",
      from: { path: "^models/" },
      to: { path: ["^(bot|core|handlers|scenes|views)/", "(^|/)node_modules/(grammy|@grammyjs/[^/]+)/"] },
    },
    {
      name: "core-no-feature",
      comment:
        "core/ is what every feature stands on; it imports no feature folder (bot, handlers, scenes, views, " +
        "sandbox, scripts). It may use models/ and npm packages.",
      severity: "error",
      from: { path: "^core/" },
      to: { path: "^(bot|handlers|scenes|views|sandbox|scripts)/" },
    },
    {
      name: "views-no-handlers-scenes-bot",
      comment: "views/ draws messages for handlers, scenes and the outbox renderers; it imports none of them.",
      severity: "error",
      from: { path: "^views/" },
      to: { path: "^(handlers|scenes|bot)/" },
    },
    {
      name: "features-no-bot",
      comment:
        "handlers/ and scenes/ stand on core/, views/ and models/, never on bot/ (the composition root and " +
        "runtime sit above them). What they need from bot/ today belongs in core/ or views/.",
      severity: "error",
      from: { path: "^(handlers|scenes)/" },
      to: { path: "^bot/" },
    },
    {
      name: "bot-runtime-no-features",
      comment:
        "Only the composition root (bot/create-bot.ts, bot/main.ts) wires handlers/ and scenes/ into the bot. " +
        "The runtime (outbox renderers, cron, intake, middleware, http) draws through views/ and reads " +
        "through models/, not through handlers or scenes.",
      severity: "error",
      from: { path: "^bot/", pathNot: "^bot/(create-bot|main)\\.ts$" },
      to: { path: "^(handlers|scenes)/" },
    },
    {
      name: "handlers-no-cross-audience",
      comment:
        "handlers/citizen and handlers/staff are two audiences: neither imports the other. What both need " +
        "(e.g. the case card) lives in views/ or models/.",
      severity: "error",
      from: { path: "^handlers/(citizen|staff)/" },
      to: { path: "^handlers/(citizen|staff)/", pathNot: "^handlers/$1/" },
    },
    {
      name: "scenes-no-handlers",
      comment:
        "Conversations do not reach up into handlers (handlers enter scenes, not the other way round): " +
        "menus and card redraws they need come from views/ or the outbox.",
      severity: "error",
      from: { path: "^scenes/" },
      to: { path: "^handlers/" },
    },
    {
      name: "mongoose-only-in-persistence",
      comment:
        "Persistence stays in models/: mongoose (and the mongodb driver and bson under it) is imported only " +
        "under models/, sandbox/ (in-memory mongo), tests/, bench/ and scripts/lib/.",
      severity: "error",
      from: { pathNot: "^(models|sandbox|tests|bench|scripts/lib)/" },
      to: { path: "(^|/)node_modules/(mongoose|mongodb|bson)/" },
    },
    {
      name: "sandbox-only-from-main",
      comment:
        "One seam for the no-token mode: bot/main.ts is the only product file that loads sandbox/ " +
        "(tests/, bench/ and sandbox/ itself may import it).",
      severity: "error",
      from: { pathNot: "^(bot/main\\.ts$|sandbox/|tests/|bench/)" },
      to: { path: "^sandbox/" },
    },
    {
      name: "not-to-unresolvable",
      comment:
        "Every import must resolve to a file, an npm package or a node: builtin; an unresolvable one means " +
        "a typo or a resolver misconfiguration here, and then the rules above would silently miss it.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Cruise the source; record npm packages as leaves without reading their insides.
    doNotFollow: { path: "(^|/)node_modules/" },
    // Build output and run-time data are not source (node_modules is NOT excluded: that would drop every
    // npm dependency from the graph, and with it the grammy and mongoose rules).
    exclude: { path: "^(dist|data|coverage|test-results)/" },
    moduleSystems: ["es6", "cjs"],
    // `import type` and type-only re-exports are dependencies too.
    tsPreCompilationDeps: true,
    // The project's tsconfig: NodeNext resolution and allowImportingTsExtensions (imports end in `.ts`).
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      // Packages' `exports` maps (grammy/types, mingo/query, csv-stringify/sync, vitest/node ...).
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
