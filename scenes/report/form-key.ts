/**
 * A report form's key, carried by its buttons (the form family of views/buttons/families.ts): a press
 * on a button of an older form (or of a form already submitted) is recognised instead of misapplied.
 * 10 base-36 characters; the key is also the report's submission key.
 */
export function newFormKey(random: () => number = Math.random): string {
  let key = "";
  while (key.length < 10) key += Math.floor(random() * 36).toString(36);
  return key;
}
