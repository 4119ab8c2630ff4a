import { Types } from "mongoose";
import { Report } from "./report.ts";
import { isChatId, isPlatform } from "../common/ids.ts";

/**
 * Whom a citizen notice is addressed to, as the report says now: its reporter or one of its
 * followers. Followers read "the report you follow", never "your report". Read when the notice is
 * rendered, so rows queued before this fact mattered are worded right too; a chat the report
 * does not list (a gone report, say) is taken as the reporter's, the wording every row had before.
 */
export type NoticeRecipient = "reporter" | "follower";

export async function noticeRecipient(reportId: string, platform: string, chatId: number): Promise<NoticeRecipient> {
  if (!/^[0-9a-f]{24}$/.test(reportId) || !isPlatform(platform) || !isChatId(chatId)) return "reporter";
  const follows = await Report.exists({
    _id: new Types.ObjectId(reportId),
    followers: { $elemMatch: { platform, chatId } },
  });
  return follows ? "follower" : "reporter";
}
