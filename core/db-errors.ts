/** Errors that mean "MongoDB is not reachable right now" (as opposed to a bug or bad data). */
export function isDbUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const name = err.name;
  return (
    name === "MongoServerSelectionError" ||
    name === "MongooseServerSelectionError" ||
    name === "MongoNetworkError" ||
    name === "MongoNetworkTimeoutError" ||
    name === "MongoNotConnectedError" ||
    name === "MongoTopologyClosedError" ||
    name === "MongoPoolClearedError" ||
    /buffering timed out|before initial connection|Client must be connected|connection .* closed/i.test(err.message)
  );
}
