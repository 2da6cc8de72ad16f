import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, signedIn, testApp } from "../../../test/app.ts";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { checkIns } from "../../db/schema/index.ts";
import { ACCME_ACTIVITY_FIELDS, ACCME_LEARNER_FIELDS } from "./accme-export.ts";
import { addEvent, addPeople } from "./test-world.ts";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by shape in tests
type Json = any;

let db: Database;
let orgId: string;
let app: ReturnType<typeof testApp>;
let headers: Record<string, string>;
const now = new Date("2025-03-11T12:00:00Z");

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  app = testApp(db, () => now);
  headers = await signedIn(testApp(db), await addUser(db, orgId, "educator"));
});
afterAll(async () => db.close());

async function call(method: string, path: string, body?: unknown, h: Record<string, string> = headers) {
  const res = await app.request(path, {
    method,
    headers: { ...h, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const type = res.headers.get("content-type") ?? "";
  const raw = new Uint8Array(await res.arrayBuffer());
  const text = Buffer.from(raw).toString("latin1");
  return { status: res.status, type, text, body: type.includes("json") ? (JSON.parse(text) as Json) : null };
}

describe("credits, certificates and ACCME-style exports (compliance apart from learning)", () => {
  it("earns credit from attendance and minimum time, issues it, prints the certificate and exports PARS files", async () => {
    const { eventId, sessionIds } = await addEvent(db, orgId, {
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T14:00:00Z",
      sessions: [
        {
          title: "Morning",
          startsAt: "2025-03-10T09:00:00Z",
          endsAt: "2025-03-10T11:00:00Z",
          creditHours: 2,
        },
        {
          title: "Afternoon",
          startsAt: "2025-03-10T13:00:00Z",
          endsAt: "2025-03-10T14:00:00Z",
          creditHours: 1,
        },
      ],
    });
    const [s1, s2] = sessionIds as [string, string];
    const [a] = await addPeople(db, orgId, 1, { degree: "MD" });
    const [b] = await addPeople(db, orgId, 1, { degree: "D.O." });
    const [cNp] = await addPeople(db, orgId, 1, { degree: "NP" });
    const scans: [string, string, "entry" | "exit", string][] = [
      [a!, s1, "entry", "09:05"],
      [a!, s1, "entry", "09:06"], // a double scan: ignored while the first entry is open
      [a!, s1, "exit", "10:55"], // 110 of 120 min
      [a!, s2, "entry", "13:00"], // no exit: counted to the session end, 60 of 60 min
      [b!, s1, "entry", "09:00"],
      [b!, s1, "exit", "10:00"], // 60 of 120 min: below 75%
      [b!, s2, "entry", "13:10"],
      [b!, s2, "exit", "14:30"], // clipped at 14:00: 50 of 60 min
      [cNp!, s2, "entry", "13:30"],
      [cNp!, s2, "exit", "13:45"], // 15 min in all: below the 60 min minimum
    ];
    await db.withOrg(orgId, (tx) =>
      tx.insert(checkIns).values(
        scans.map(([personId, sessionId, direction, hm], i) => ({
          orgId,
          eventId,
          sessionId,
          personId,
          direction,
          method: "qr" as const,
          scanNonce: `n-${eventId}-${i}`,
          occurredAt: new Date(`2025-03-10T${hm}:00Z`),
        })),
      ),
    );

    const list = await call("GET", `/api/events/${eventId}/credits`);
    expect(list.body.learners).toEqual({ total: 3, physicians: 2, other: 1 });
    const byPerson = Object.fromEntries(list.body.decisions.map((d: Json) => [d.learnerId, d]));
    expect(byPerson[a!]).toMatchObject({ eligible: true, creditHours: 3, attendedMinutes: 170 });
    expect(byPerson[b!]).toMatchObject({ eligible: true, creditHours: 1, attendedMinutes: 110 });
    expect(byPerson[cNp!]).toMatchObject({
      eligible: false,
      reason: "attended 15 min, below the 60 min minimum",
    });

    const links = await call("POST", `/api/events/${eventId}/learner-links`, {
      personIds: [a, b, cNp],
      kind: "credit",
    });
    const token = Object.fromEntries(links.body.links.map((l: Json) => [l.personId, l.token]));
    expect((await call("POST", `/api/learn/${token[a!]}/credit`, {}, {})).body.credit.hours).toBe(3);
    const tooMuch = await call("POST", `/api/learn/${token[b!]}/credit`, { hours: 2 }, {});
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toBe("at most 1 h can be claimed for the time attended");
    expect((await call("POST", `/api/learn/${token[b!]}/credit`, { hours: 1 }, {})).status).toBe(200);
    const refused = await call("POST", `/api/learn/${token[cNp!]}/credit`, {}, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/below the 60 min minimum/);

    const notYet = await call("GET", `/api/learn/${token[a!]}/certificate.pdf`, undefined, {});
    expect(notYet.status).toBe(409);
    const issued = await call("POST", `/api/events/${eventId}/credits/issue`);
    expect(issued.body).toEqual({ issued: 2, withheld: [] });
    const pdf = await call("GET", `/api/learn/${token[a!]}/certificate.pdf`, undefined, {});
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    expect(pdf.text.startsWith("%PDF-1.4")).toBe(true);
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf.text)![1]);
    expect(pdf.text.slice(xref, xref + 4)).toBe("xref");
    expect(pdf.text).toContain("3 AMA PRA Category 1 Credits.");

    await call("PUT", `/api/events/${eventId}/accreditation`, {
      providerActivityId: "ACT-2025-001",
      city: "Chicago",
      state: "IL",
      country: "USA",
      designedToChange: ["competence"],
      commercialSupport: false,
    });
    await call("PUT", `/api/people/${a}/learner-profile`, {
      licenseState: "IL",
      licenseNumber: "036-123456",
      birthMonth: 7,
      birthDay: 4,
    });

    const activity = await call("GET", `/api/events/${eventId}/accme/activity.txt?header=true`);
    expect(activity.type).toContain("text/tab-separated-values");
    const [head, row, extra] = activity.text.split("\n");
    expect(head!.split("\t")).toEqual([...ACCME_ACTIVITY_FIELDS]);
    expect(extra).toBe("");
    const record = Object.fromEntries(head!.split("\t").map((k, i) => [k, row!.split("\t")[i]]));
    expect(record).toMatchObject({
      "Provider Activity ID": "ACT-2025-001",
      "Start Date": "03/10/2025",
      "Reporting Year": "2025",
      "Hours of Instruction": "3",
      "AMA PRA Category 1 Credits Designated": "3",
      "Designed to Change Competence": "Y",
      "Commercial Support Received": "N",
      "Number of Physician Learners": "2",
      "Number of Other Learners": "1",
    });
    const upload = await call("GET", `/api/events/${eventId}/accme/activity.txt`);
    expect(upload.text.split("\n")[0]).toBe(row);

    const learners = await call("GET", `/api/events/${eventId}/accme/learners.txt?header=true`);
    const lines = learners.text.trimEnd().split("\n");
    expect(lines[0]!.split("\t")).toEqual([...ACCME_LEARNER_FIELDS]);
    expect(lines).toHaveLength(3);
    const first = lines
      .slice(1)
      .find((l) => l.includes("036-123456"))!
      .split("\t");
    expect(first.slice(3, 7)).toEqual(["7", "4", "IL", "036-123456"]);
    // Completed when the activity ended (03/10), though the credit was issued the next day.
    expect(first.slice(9)).toEqual(["03/10/2025", "AMA PRA Category 1 Credit", "3"]);
  });
});
