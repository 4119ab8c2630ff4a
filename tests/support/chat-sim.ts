import type { Bot } from "grammy";
import type { Message, Update, User } from "grammy/types";
import type { BotContext } from "../../core/context.ts";
import type { FakeBotApi } from "./fake-bot-api.ts";

let updateId = 1;

/** Sends real Telegram-shaped updates as one person in their private chat, and reads the bot's replies. */
export class ChatSim {
  readonly user: User;
  /** Set for a member of a group (a staff chat); unset = the user's private chat with the bot. */
  readonly group: { id: number; title: string } | null;
  private messageId = 1;
  /** How an update reaches the bot: straight into handleUpdate, or through the inbox as in production. */
  private readonly deliver: (update: Update) => Promise<void>;

  constructor(
    private readonly bot: () => Bot<BotContext>,
    private readonly api: FakeBotApi,
    userId: number,
    opts: {
      firstName?: string;
      languageCode?: string;
      username?: string;
      group?: { id: number; title: string };
      deliver?: (update: Update) => Promise<void>;
    } = {},
  ) {
    this.deliver = opts.deliver ?? ((u) => this.bot().handleUpdate(u));
    this.group = opts.group ?? null;
    this.user = {
      id: userId,
      is_bot: false,
      first_name: opts.firstName ?? "Sara",
      language_code: opts.languageCode ?? "fa",
      ...(opts.username ? { username: opts.username } : {}),
    };
  }

  get chatId(): number {
    return this.group?.id ?? this.user.id;
  }

  private get chat() {
    return this.group
      ? { id: this.group.id, type: "supergroup" as const, title: this.group.title }
      : { id: this.user.id, type: "private" as const, first_name: this.user.first_name };
  }

  async send(update: Omit<Update, "update_id">): Promise<Update> {
    const full = { update_id: updateId++, ...update } as Update;
    await this.deliver(full);
    return full;
  }

  private msg(extra: Partial<Message>): Update["message"] & object {
    return {
      message_id: this.messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: this.chat,
      from: this.user,
      ...extra,
    } as Update["message"] & object;
  }

  text(text: string) {
    const entities = text.startsWith("/")
      ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]!.length }]
      : undefined;
    return this.send({ message: this.msg({ text, ...(entities ? { entities } : {}) }) });
  }

  /** `extra`: e.g. `{ location: { live_period } }` merged in, `forward_origin`, or a `date`. */
  location(latitude: number, longitude: number, extra: Partial<Message> & { livePeriod?: number } = {}) {
    const { livePeriod, ...rest } = extra;
    return this.send({
      message: this.msg({
        location: { latitude, longitude, ...(livePeriod ? { live_period: livePeriod } : {}) },
        ...rest,
      }),
    });
  }

  /** A live location moving: Telegram sends it as an edit of the location message. */
  editLocation(messageId: number, latitude: number, longitude: number, editDate: number) {
    const base = this.msg({ location: { latitude, longitude, live_period: 900 }, edit_date: editDate });
    return this.send({ edited_message: { ...base, message_id: messageId } as Update["edited_message"] & object });
  }

  /** The id the next message this sim sends will get. */
  get nextMessageId(): number {
    return this.messageId;
  }

  venue(latitude: number, longitude: number, title: string, address: string) {
    return this.send({
      message: this.msg({
        location: { latitude, longitude },
        venue: { location: { latitude, longitude }, title, address },
      }),
    });
  }

  photo(fileId: string, size = 50_000, extra: Partial<Message> = {}) {
    return this.send({
      message: this.msg({
        ...extra,
        photo: [
          { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 90, file_size: 1_000 },
          { file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 960, file_size: size },
        ],
      }),
    });
  }

  document(fileId: string, mime: string, size = 50_000) {
    return this.send({
      message: this.msg({
        document: {
          file_id: fileId,
          file_unique_id: `${fileId}-u`,
          mime_type: mime,
          file_size: size,
          file_name: "file",
        },
      }),
    });
  }

  contact(phone: string, userId = this.user.id) {
    return this.send({
      message: this.msg({ contact: { phone_number: phone, first_name: this.user.first_name, user_id: userId } }),
    });
  }

  sticker() {
    return this.send({
      message: this.msg({
        sticker: {
          file_id: "stk",
          file_unique_id: "stk-u",
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
        },
      }),
    });
  }

  voice() {
    return this.send({ message: this.msg({ voice: { file_id: "voice", file_unique_id: "voice-u", duration: 3 } }) });
  }

  callback(data: string, messageId = 1) {
    return this.send({
      callback_query: {
        id: `cq${updateId}`,
        from: this.user,
        chat_instance: "ci",
        data,
        message: { message_id: messageId, date: 0, chat: this.chat, text: "…" } as Message,
      },
    });
  }

  /** Presses the inline button with this label on the newest message to this chat that has one. */
  async press(label: string): Promise<Update> {
    const data = this.findButton(label);
    if (data === undefined)
      throw new Error(
        `no inline button "${label}" in the chat with ${this.chatId}; replies: ${JSON.stringify(this.api.textsTo(this.chatId).slice(-3))}`,
      );
    return this.callback(data);
  }

  findButton(label: string): string | undefined {
    for (const call of [...this.api.log].reverse()) {
      if (Number(call.payload.chat_id) !== this.chatId) continue;
      const markup = call.payload.reply_markup as
        { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
      const button = markup?.inline_keyboard?.flat().find((b) => b.text === label);
      if (button?.callback_data) return button.callback_data;
    }
    return undefined;
  }

  /** Every text the bot sent to this chat since the last `clear`. */
  replies(): string[] {
    return this.api.textsTo(this.chatId);
  }

  lastReply(): string {
    return this.replies().at(-1) ?? "";
  }
}
