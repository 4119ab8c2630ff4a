import type * as ImageModule from "../../views/weekly-table/image.ts";

/** A render failure on demand: while `broken`, drawing the table picture throws, as a broken font or SVG would. */
export const picture = { broken: false };

/** The picture module with its renderer wrapped; for `vi.mock(…weekly-table-image.ts…)` in a test file. */
export function brokenPictureModule(real: typeof ImageModule): typeof ImageModule {
  return {
    ...real,
    renderTablePng: (...args: Parameters<typeof real.renderTablePng>) => {
      if (picture.broken) throw new Error("resvg: font not found");
      return real.renderTablePng(...args);
    },
  };
}
