import { createHash, randomBytes } from "node:crypto";
import mongoose, { Schema } from "mongoose";

/**
 * An Open311 client's key. Only its SHA-256 is stored: a copied database (a backup, an export)
 * gives nobody a working key; the key itself is shown once, when it is made.
 */
const apiKeySchema = new Schema(
  {
    /** The client's name: reports it files carry it as `source`. */
    client: { type: String, required: true, unique: true },
    keyHash: { type: String, required: true, unique: true },
    /** Requests a minute; null = OPEN311_RATE_PER_MIN. */
    ratePerMin: { type: Number, default: null, min: 1 },
    active: { type: Boolean, default: true },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

export const ApiKey = mongoose.model("Open311ApiKey", apiKeySchema, "open311_keys");

/** Latin letters, digits and . _ -: the name is stored on reports and printed by scripts. "chat" is the bot's own. */
const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

export function clientNameProblem(client: string): string | null {
  if (!CLIENT_NAME.test(client)) return "must be 1–40 Latin letters, digits, . _ - (starting with a letter or digit)";
  if (client === "chat") return `"chat" is the bot's own source name`;
  return null;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export interface ApiClient {
  client: string;
  ratePerMin: number | null;
}

export interface ApiKeyRecord extends ApiClient {
  active: boolean;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A new key for a client (a revoked client's name is taken again with a fresh key); the key is returned once. */
export async function createApiKey(
  client: string,
  ratePerMin: number | null,
): Promise<{ key: string } | { problem: string }> {
  const problem = clientNameProblem(client);
  if (problem) return { problem: `client name ${problem}` };
  const existing = await ApiKey.findOne({ client }, { active: 1 }, { sanitizeFilter: true }).lean();
  if (existing?.active) return { problem: `client ${client} already has an active key (revoke it first)` };
  const key = `o311_${randomBytes(24).toString("base64url")}`;
  await ApiKey.updateOne(
    { client },
    { $set: { keyHash: hashKey(key), ratePerMin, active: true, revokedAt: null } },
    { upsert: true },
  );
  return { key };
}

/** The client a key belongs to; null for a key nobody was given, a revoked one, or anything not a string. */
export async function findApiClient(key: unknown): Promise<ApiClient | null> {
  if (typeof key !== "string" || key === "" || key.length > 200) return null;
  const row = await ApiKey.findOne({ keyHash: hashKey(key), active: true }, { client: 1, ratePerMin: 1 }).lean();
  return row ? { client: row.client, ratePerMin: row.ratePerMin ?? null } : null;
}

export async function listApiKeys(): Promise<ApiKeyRecord[]> {
  const rows = await ApiKey.find({}, { keyHash: 0 }).sort({ client: 1 }).lean();
  return rows.map((r) => ({
    client: r.client,
    ratePerMin: r.ratePerMin ?? null,
    active: r.active,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt ?? null,
  }));
}

/** Revokes a client's key at once (the next request with it gets 403); false when it has no active key. */
export async function revokeApiKey(client: string, now: Date): Promise<boolean> {
  if (typeof client !== "string") return false;
  const res = await ApiKey.updateOne(
    { client, active: true },
    { $set: { active: false, revokedAt: now } },
    { sanitizeFilter: true },
  );
  return res.modifiedCount === 1;
}
