import { describe, expect, it } from "vitest";
import { ATTRIBUTE_MAX_LENGTH, checkAnswer, checkAnswers } from "../../models/geography/category-attributes.ts";
import { latinDigits } from "../../models/common/digits.ts";
import mongoose from "mongoose";
import { Category, findCategory, type CategoryAttribute } from "../../models/geography/category.ts";
import { LIGHTING_POLE_NUMBER } from "../../models/geography/default-categories.ts";
import * as migration from "../../models/ops/migrations/005-category-attributes.ts";
import { useTestDb } from "../support/test-db.ts";

useTestDb();

const t = (fa: string, en: string) => ({ fa, en });
const attr = (code: string, datatype: CategoryAttribute["datatype"], more: Partial<CategoryAttribute> = {}) =>
  ({
    code,
    datatype,
    required: false,
    order: 1,
    description: t("پرسش", "Question"),
    datatypeDescription: t("", ""),
    values: [],
    ...more,
  }) satisfies CategoryAttribute;

const colours = [
  { key: "red", name: t("قرمز", "Red") },
  { key: "green", name: t("سبز", "Green") },
  { key: "blue", name: t("آبی", "Blue") },
];
const FORM: CategoryAttribute[] = [
  attr("colour", "multivaluelist", { order: 4, values: colours }),
  attr("pole_number", "string", { order: 1 }),
  attr("height", "number", { order: 2, required: true }),
  attr("seen", "datetime", { order: 3 }),
  attr("kind", "singlevaluelist", { order: 5, values: colours }),
  attr("notes", "text", { order: 6 }),
];

describe("checking the answers to a category's extra questions", () => {
  it("trims, normalises Persian and Arabic-Indic digits in numbers, and answers in the questions' order", () => {
    const res = checkAnswers(FORM, {
      kind: " green ",
      notes: "  line one\nline two  ",
      height: "۱۲٫۵",
      pole_number: "  12-345 ",
      colour: "blue, red",
      seen: "٢٠٢٥-٠٣-٠١",
    });
    expect(res).toEqual({
      answers: [
        { code: "pole_number", values: ["12-345"] },
        { code: "height", values: ["12.5"] },
        { code: "seen", values: ["2025-03-01T00:00:00.000Z"] },
        { code: "colour", values: ["red", "blue"] },
        { code: "kind", values: ["green"] },
        { code: "notes", values: ["line one\nline two"] },
      ],
    });
  });

  it("leaves out a missing optional answer; a missing or blank required one is an error", () => {
    expect(checkAnswers(FORM, { height: "3", pole_number: "   " })).toEqual({
      answers: [{ code: "height", values: ["3"] }],
    });
    expect(checkAnswers(FORM, { height: " \u200e " })).toEqual({ errors: [{ code: "height", problem: "required" }] });
    expect(checkAnswers(FORM, {})).toEqual({ errors: [{ code: "height", problem: "required" }] });
  });

  it("names every problem at once: unknown codes, wrong types, keys not in the list, oversized text", () => {
    const res = checkAnswers(FORM, {
      polenumber: "7",
      height: "twelve",
      seen: "yesterday",
      kind: "purple",
      colour: ["red", "pink"],
      notes: "x".repeat(ATTRIBUTE_MAX_LENGTH + 1),
    });
    expect(res).toEqual({
      errors: [
        { code: "polenumber", problem: "unknown" },
        { code: "height", problem: "not_a_number" },
        { code: "seen", problem: "not_a_date" },
        { code: "colour", problem: "not_in_list" },
        { code: "kind", problem: "not_in_list" },
        { code: "notes", problem: "too_long" },
      ],
    });
  });

  it("takes a multivaluelist as a comma-separated string or an array, each key once, in the list's order", () => {
    const colour = [attr("colour", "multivaluelist", { values: colours })];
    expect(checkAnswers(colour, { colour: ["blue", "red", "blue"] })).toEqual({
      answers: [{ code: "colour", values: ["red", "blue"] }],
    });
    expect(checkAnswers(colour, { colour: "green،red" })).toEqual({
      answers: [{ code: "colour", values: ["red", "green"] }],
    });
    expect(checkAnswers(colour, { colour: "," })).toEqual({ answers: [] });
  });

  it("a single-valued list takes exactly one key; a number exactly one number", () => {
    const kind = [attr("kind", "singlevaluelist", { values: colours })];
    expect(checkAnswers(kind, { kind: ["red", "blue"] })).toEqual({
      errors: [{ code: "kind", problem: "not_in_list" }],
    });
    const height = [attr("height", "number")];
    expect(checkAnswers(height, { height: ["1", "2"] })).toEqual({
      errors: [{ code: "height", problem: "not_a_number" }],
    });
    expect(checkAnswers(height, { height: "\u200e-۷\u200e" })).toEqual({
      answers: [{ code: "height", values: ["-7"] }],
    });
    expect(checkAnswers(height, { height: "1e9" })).toEqual({ errors: [{ code: "height", problem: "not_a_number" }] });
  });

  it("a code typed with Persian digits is stored with Latin ones; a sentence keeps its own digits", () => {
    const pole = [attr("pole_number", "string")];
    expect(checkAnswers(pole, { pole_number: "۱۲-۳۴۵" })).toEqual({
      answers: [{ code: "pole_number", values: ["12-345"] }],
    });
    expect(checkAnswers(pole, { pole_number: "A-٤٥" })).toEqual({
      answers: [{ code: "pole_number", values: ["A-45"] }],
    });
    expect(checkAnswers(pole, { pole_number: "تیر ۱۲ کنار مدرسه" })).toEqual({
      answers: [{ code: "pole_number", values: ["تیر ۱۲ کنار مدرسه"] }],
    });
  });

  it("the length limit can be set by the caller, and strips bidi controls from what is stored", () => {
    const pole = [attr("pole_number", "string")];
    expect(checkAnswers(pole, { pole_number: "12345" }, { maxLength: 4 })).toEqual({
      errors: [{ code: "pole_number", problem: "too_long" }],
    });
    expect(checkAnswers(pole, { pole_number: "\u202e543-21" })).toEqual({
      answers: [{ code: "pole_number", values: ["543-21"] }],
    });
  });

  it("one question at a time: an answer, a skip (null) or its problem", () => {
    const height = attr("height", "number");
    expect(checkAnswer(height, "۴۲")).toEqual({ answer: { code: "height", values: ["42"] } });
    expect(checkAnswer(height, "")).toEqual({ answer: null });
    expect(checkAnswer(height, "abc")).toEqual({ problem: "not_a_number" });
    expect(latinDigits("۱۲٣٤")).toBe("1234");
  });
});

describe("migration 005-category-attributes: databases seeded before the extra questions", () => {
  it("gives street lighting its pole number where it has no questions, keeps an admin's questions, and a second run changes nothing", async () => {
    const db = mongoose.connection.db!;
    const categories = db.collection("categories");
    // As stored before: no attributes field at all. Garbage: an admin's own question, kept.
    await categories.updateOne({ key: "lighting" }, { $unset: { attributes: "" } });
    const adminQuestion = { ...LIGHTING_POLE_NUMBER, code: "bin" };
    await Category.updateOne({ key: "garbage" }, { $set: { attributes: [adminQuestion] } });

    expect(await migration.up(db)).toBe("categories given their extra questions: 1 (lighting)");
    expect((await findCategory("lighting"))!.attributes).toEqual([LIGHTING_POLE_NUMBER]);
    expect((await findCategory("garbage"))!.attributes.map((a) => a.code)).toEqual(["bin"]);
    expect(await migration.up(db)).toBe("categories given their extra questions: 0");

    // An empty list counts as none (a category saved by an older admin tool).
    await categories.updateOne({ key: "lighting" }, { $set: { attributes: [] } });
    expect(await migration.up(db)).toBe("categories given their extra questions: 1 (lighting)");
    expect(migration).toMatchObject({ id: 5, name: "category-attributes" });
  });
});
