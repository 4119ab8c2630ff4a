import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { Outbox, claimNextRow } from "../../models/infra/outbox.ts";
import { GROUP_DIGEST_KIND } from "../../models/infra/outbox-kinds.ts";

useTestDb({ cleanEach: true });

const GROUP = -1009100000001;
const T0 = new Date("2026-12-02T08:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

const row = (id: string, kind: string, createdAt: Date, nextAttemptAt: Date) => ({
  _id: id,
  platform: "telegram" as const,
  chatId: GROUP,
  kind,
  payload: { reportId: "6b0fa86d194cde5cf6e5653e" },
  status: "pending" as const,
  createdAt,
  nextAttemptAt,
});

describe("claiming a group's rows while a digest waits", () => {
  it("a digest placed first but due later holds back none of the rows behind it", async () => {
    // The digest sorts first in the chat (models/infra/group-backlog.ts places it so) but its next
    // slot is 30 s away; a released case's card behind it is due now.
    await Outbox.create(row("digest", GROUP_DIGEST_KIND, at(0), at(30)));
    await Outbox.create(row("card", "staff_card", at(1), at(1)));
    const claimed = await claimNextRow("worker-a", at(2));
    expect(claimed?.id).toBe("card");
    // Any other row still keeps the chat's order: an earlier pending card holds a later one back.
    await Outbox.deleteMany({});
    await Outbox.create(row("first", "staff_card", at(0), at(30)));
    await Outbox.create(row("second", "staff_card", at(1), at(1)));
    expect(await claimNextRow("worker-a", at(2))).toBeNull();
  });
});
