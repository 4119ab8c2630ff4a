// The emulated world: per bot (platform) its users, chats, messages, files, pending updates,
// callback queries, commands, webhook and transcript; one global change counter (`seq`) for
// incremental polling of transcripts across platforms.
import { randomBytes } from "node:crypto";
import type { BotCommand, Message, ReplyKeyboardMarkup, User, UserFromGetMe } from "grammy/types";
import { FaultTable } from "./faults.ts";
import type { FaultSpec } from "./faults.ts";
import { FileStore } from "./files.ts";
import { RateLimiter } from "./limits.ts";
import type { AnyMarkup } from "./markup.ts";
import { Notifier } from "./notifier.ts";
import type { TranscriptItem } from "./transcript-item.ts";
import { UpdateQueue } from "./updates.ts";

export interface BotConfig {
  /** "telegram", "bale", …: the name used in /sim/:platform routes. */
  platform: string;
  token: string;
  id: number;
  username: string;
  firstName: string;
}

export interface SimUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  /** Has written to the bot: until then the bot cannot open the private chat (403). */
  started: boolean;
  blocked: boolean;
}

export type ChatType = "private" | "group" | "supergroup";

export interface SimChat {
  id: number;
  type: ChatType;
  title?: string;
  members: Set<number>;
  admins: Set<number>;
  nextMessageId: number;
  /** The reply keyboard the chat's client currently shows (null = none). */
  keyboard: ReplyKeyboardMarkup | null;
  /** CallbackQuery.chat_instance: stable per chat. */
  instance: string;
}

export interface StoredMessage {
  /** The message as Telegram would return it now (current text, inline keyboard, edit_date). */
  message: Message;
  sender: "bot" | "user";
  /** Text or caption exactly as sent, and its parse_mode: what the transcript shows. */
  raw?: string;
  parseMode?: string;
  /** Any markup, reply keyboards included (Message.reply_markup only ever holds inline ones). */
  markup?: AnyMarkup;
}

export interface CallbackRecord {
  id: string;
  chatId: number;
  messageId: number;
  userId: number;
  answered: boolean;
}

export interface WebhookState {
  url: string;
  has_custom_certificate: boolean;
  max_connections: number;
  allowed_updates?: string[];
  ip_address?: string;
  secret_token?: string;
}

export class PlatformState {
  readonly updates = new UpdateQueue();
  readonly files = new FileStore();
  readonly users = new Map<number, SimUser>();
  readonly chats = new Map<number, SimChat>();
  readonly messages = new Map<number, Map<number, StoredMessage>>();
  readonly callbacks = new Map<string, CallbackRecord>();
  /** Key: scope JSON + "|" + language_code. */
  readonly commands = new Map<string, BotCommand[]>();
  webhook: WebhookState | undefined;
  transcript: TranscriptItem[] = [];

  constructor(readonly bot: BotConfig) {}

  get botUser(): User {
    return { id: this.bot.id, is_bot: true, first_name: this.bot.firstName, username: this.bot.username };
  }

  get me(): UserFromGetMe {
    return {
      ...this.botUser,
      username: this.bot.username,
      is_bot: true,
      can_join_groups: true,
      // Privacy mode on, as for a new bot; staff chats make the bot an admin, which sees everything.
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  }

  chatMessages(chatId: number): Map<number, StoredMessage> {
    let map = this.messages.get(chatId);
    if (!map) this.messages.set(chatId, (map = new Map()));
    return map;
  }

  newChat(id: number, type: ChatType, title?: string): SimChat {
    return {
      id,
      type,
      ...(title !== undefined ? { title } : {}),
      members: new Set(),
      admins: new Set(),
      nextMessageId: 1,
      keyboard: null,
      instance: randomBytes(8).readBigInt64BE().toString(),
    };
  }

  reset(): void {
    this.updates.clear();
    this.updates.allowed = [];
    this.files.clear();
    this.users.clear();
    this.chats.clear();
    this.messages.clear();
    this.callbacks.clear();
    this.commands.clear();
    this.webhook = undefined;
    this.transcript = [];
  }
}

export interface WorldOptions {
  faults?: FaultSpec[];
  enforceLimits?: boolean;
  /** Clock for message dates and rate limits (ms). */
  now?: () => number;
}

export class World {
  readonly platforms = new Map<string, PlatformState>();
  readonly faults = new FaultTable();
  readonly limiter: RateLimiter | undefined;
  /** Woken on every transcript change (for /sim transcript long polls). */
  readonly changed = new Notifier();
  readonly now: () => number;
  /** Set once the server listens: photo URLs in transcripts are absolute. */
  baseUrl = "";
  private seq = 0;

  constructor(bots: BotConfig[], opts: WorldOptions = {}) {
    for (const bot of bots) {
      if (this.platforms.has(bot.platform)) throw new Error(`two bots for platform ${bot.platform}`);
      this.platforms.set(bot.platform, new PlatformState(bot));
    }
    this.now = opts.now ?? Date.now;
    this.limiter = opts.enforceLimits ? new RateLimiter(this.now) : undefined;
    for (const f of opts.faults ?? []) this.faults.add(f);
  }

  get currentSeq(): number {
    return this.seq;
  }

  unixTime(): number {
    return Math.floor(this.now() / 1000);
  }

  byToken(token: string): PlatformState | undefined {
    return [...this.platforms.values()].find((p) => p.bot.token === token);
  }

  record(p: PlatformState, item: Omit<TranscriptItem, "seq">): TranscriptItem {
    const full = { seq: ++this.seq, ...item } as TranscriptItem;
    p.transcript.push(full);
    this.changed.notify();
    return full;
  }

  /** Everything but the bots themselves, the seq counter and update ids (pollers keep their offsets). */
  reset(): void {
    for (const p of this.platforms.values()) p.reset();
    this.faults.clear();
    this.limiter?.clear();
    this.changed.notify();
  }
}
