// Types of bot-html.js for the TypeScript tests (the page itself is plain JS, no build step).

export interface TextNode {
  type: "text";
  text: string;
}
export interface ElementNode {
  type: "el";
  tag: string;
  href?: string;
  spoiler?: boolean;
  language?: string;
  children: BotNode[];
}
export type BotNode = TextNode | ElementNode;

export interface MessageEntityLike {
  type: string;
  offset: number;
  length: number;
  url?: string;
  user?: { id: number };
}

export function decodeEntities(s: string): string;
export function parseBotHtml(html: string): BotNode[];
export function entitiesToNodes(text: string, entities: MessageEntityLike[] | undefined): BotNode[];
export function safeHref(href: unknown): string | null;
export function mentionedUserId(href: string | undefined): number | null;
export function mentionsIn(nodes: BotNode[]): number[];
export function plainText(nodes: BotNode[]): string;
export function messageNodes(item: {
  text?: string;
  caption?: string;
  entities?: MessageEntityLike[];
  caption_entities?: MessageEntityLike[];
  parse_mode?: string;
}): BotNode[];
/** `doc` is a DOM Document (the tests run without the DOM lib). */
export function nodesToDom(nodes: BotNode[], doc: unknown): unknown;
export function textDirection(text: string): "auto" | "rtl" | "ltr";
