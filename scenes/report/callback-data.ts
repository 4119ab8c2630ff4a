/**
 * Buttons of the intake form carry the form's key: `r:<key>:<action>[:<arg>]`. A press on a button
 * of an older form (or a form that was already submitted) is recognised instead of misapplied.
 * Keys are 10 base-36 characters, so the longest payload stays far below Telegram's 64 bytes.
 */
export interface IntakeButton {
  key: string;
  action: string;
  arg: string;
}

export function intakeData(key: string, action: string, arg = ""): string {
  return arg ? `r:${key}:${action}:${arg}` : `r:${key}:${action}`;
}

export function parseIntakeData(data: string | undefined): IntakeButton | null {
  if (!data) return null;
  const m = /^r:([0-9a-z]{10}):([a-z]+)(?::([\w-]{1,32}))?$/.exec(data);
  if (!m) return null;
  return { key: m[1]!, action: m[2]!, arg: m[3] ?? "" };
}

export function newFormKey(random: () => number = Math.random): string {
  let key = "";
  while (key.length < 10) key += Math.floor(random() * 36).toString(36);
  return key;
}
