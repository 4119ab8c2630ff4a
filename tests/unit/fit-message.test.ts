import { describe, expect, it } from "vitest";
import { fitList } from "../../views/fit-message.ts";

const more = (n: number) => `+${n}`;
const lines = ["aaaa", "bbbb", "cccc", "dddd"];

describe("fitList", () => {
  it("joins head, lines and tail when everything fits", () => {
    expect(fitList({ head: "H", lines, tail: "T", more, keep: "first" })).toBe("H\naaaa\nbbbb\ncccc\ndddd\nT");
  });

  it("counts items left out before fitting", () => {
    expect(fitList({ head: "H", lines: ["aaaa"], omitted: 5, more, keep: "first" })).toBe("H\naaaa\n+5");
  });

  it("keeps the top of a list, with the 'more' line last, within max", () => {
    const text = fitList({ head: "H", lines, more, keep: "first", max: 16 });
    expect(text).toBe("H\naaaa\nbbbb\n+2");
    expect(text.length).toBeLessThanOrEqual(16);
  });

  it("keeps the newest entries of a history, with the 'more' line first", () => {
    expect(fitList({ head: "H", lines, more, keep: "last", max: 16 })).toBe("H\n+2\ncccc\ndddd");
  });

  it("stops at the first line that does not fit rather than skipping it", () => {
    expect(fitList({ head: "H", lines: ["aa", "b".repeat(50), "cc"], more, keep: "first", max: 12 })).toBe("H\naa\n+2");
  });
});
