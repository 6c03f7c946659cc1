// The counts of one diagnosis add up, through the built bin on the sandbox's demo account (issue 18 §4): the
// events listed of a webhook's types are the events its attempts carry plus those never attempted. The
// events window used to start at the oldest attempt, after the event that attempt carried was created, so
// "18 of 18 events undelivered" sat beside "17 events of its types".
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import { builtServerTest, describe, expect } from "../helpers/fixtures.js";
import type { OutputOf } from "../helpers/harness.js";

const it = builtServerTest(["--sandbox"]);

/** The three counts a diagnosis' text gives for its events, when it gives them. */
function countsIn(text: string) {
  const attempted = /(\d+) of (\d+) events undelivered/.exec(text);
  const never = /(\d+) never attempted/.exec(text);
  const listed = /and (\d+) events of its types from/.exec(text);
  if (!attempted || !listed) return undefined;
  return {
    undelivered: Number(attempted[1]),
    attempted: Number(attempted[2]),
    never: Number(never?.[1] ?? 0),
    listed: Number(listed[1]),
  };
}

describe("event counts", () => {
  it("says it in the text a model reads for crm-sync: 18 of 18 events undelivered, 18 events of its types", async ({
    server: client,
  }) => {
    const fleet = await client.call("diagnose_failures", {});
    const id = /(webhook_\w+) \(crm-sync\)/.exec(fleet.text)?.[1];
    expect(id).toBeDefined();
    const answer = await client.call("diagnose_failures", { webhookId: id });
    expect(answer.text).toContain("18 of 18 events undelivered");
    expect(answer.text).toContain("and 18 events of its types from");
    expect(answer.text).toContain("(18 undelivered, 0 never attempted)");
  });

  it("listed = attempted + never attempted, for every webhook of the demo account read in full", async ({
    server: client,
  }) => {
    const fleet = await client.call("diagnose_failures", {});
    const webhooks = (fleet.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks.filter((w) => w.complete);
    let checked = 0;
    for (const webhook of webhooks) {
      const counts = countsIn((await client.call("diagnose_failures", { webhookId: webhook.webhookId })).text);
      if (!counts) continue;
      checked++;
      expect(counts.listed, webhook.webhookId).toBe(counts.attempted + counts.never);
    }
    // crm-sync and the other failing webhooks at least.
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});
