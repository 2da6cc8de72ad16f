import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type CreditDecision, type CreditSession, creditEligibility } from "../../core/learning/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { credits, people } from "../../db/schema/index.ts";
import { eventAttendance } from "./attendance.ts";
import { certificatePdf } from "./certificate-pdf.ts";
import { eventSessionsOf, requireEvent, settingsOf } from "./event-lookup.ts";
import { verifyLink } from "./link-token.ts";

/**
 * Credits are compliance, kept apart from learning: eligibility comes from attendance and minimum time only (no
 * score enters), a learner claims, and the provider issues with a certificate number.
 */

/** Physicians for accredited-education counts: MD or DO (people.degree, case and dots ignored). */
export function isPhysician(degree: string | null | undefined): boolean {
  const d = (degree ?? "").replace(/[.\s]/g, "").toUpperCase();
  return d === "MD" || d === "DO";
}

/** Every attendee's credit decision for an event, from its credited sessions and the event's credit rule. */
export async function eligibility(tx: Tx, orgId: string, eventId: string) {
  const settings = await settingsOf(tx, orgId, eventId);
  const sessions = await eventSessionsOf(tx, orgId, eventId);
  const credited: CreditSession[] = sessions
    .filter((s) => (s.creditHours ?? 0) > 0)
    .map((s) => ({
      sessionId: s.id,
      durationMinutes: (s.endsAt.getTime() - s.startsAt.getTime()) / 60_000,
      creditHours: Number(s.creditHours),
    }));
  const attendance = await eventAttendance(tx, orgId, eventId, sessions);
  const decisions = creditEligibility(attendance.rows, credited, {
    minSessionShare: settings.minSessionShare,
    minTotalMinutes: settings.minTotalMinutes,
    increment: settings.creditIncrement,
  });
  return { settings, decisions, attended: attendance.attended, credited };
}

type CreditRow = typeof credits.$inferSelect;

function creditJson(c: CreditRow) {
  return {
    id: c.id,
    personId: c.personId,
    creditType: c.creditType,
    hours: Number(c.hours),
    claimedAt: c.claimedAt.toISOString(),
    issuedAt: c.issuedAt ? c.issuedAt.toISOString() : null,
    certificateNo: c.certificateNo,
  };
}

function decisionFor(decisions: CreditDecision[], personId: string): CreditDecision {
  return (
    decisions.find((d) => d.learnerId === personId) ?? {
      learnerId: personId,
      eligible: false,
      creditHours: 0,
      attendedMinutes: 0,
      qualifyingSessions: [],
      reason: "no attendance recorded",
    }
  );
}

/** A learner claims credit through their credit link: at most the hours attendance earned. */
export async function claimCredit(db: Database, token: string, hours: number | undefined, now: Date) {
  const link = await verifyLink(db, token, "credit");
  return db.withOrg(link.o, async (tx) => {
    await requireEvent(tx, link.o, link.i);
    const { settings, decisions } = await eligibility(tx, link.o, link.i);
    const d = decisionFor(decisions, link.p!);
    if (!d.eligible) throw new AppError("conflict", `no credit can be claimed: ${d.reason}`);
    const claim = hours ?? d.creditHours;
    if (claim > d.creditHours + 1e-9) {
      throw new AppError(
        "validation",
        `at most ${d.creditHours} h can be claimed for the time attended`,
        "hours",
      );
    }
    if (Math.abs(claim / settings.creditIncrement - Math.round(claim / settings.creditIncrement)) > 1e-9) {
      throw new AppError("validation", `claim credit in steps of ${settings.creditIncrement} h`, "hours");
    }
    const [row] = await tx
      .insert(credits)
      .values({
        orgId: link.o,
        eventId: link.i,
        personId: link.p!,
        creditType: settings.creditType,
        hours: claim,
        claimedAt: now,
      })
      .onConflictDoUpdate({
        target: [credits.orgId, credits.eventId, credits.personId, credits.creditType],
        set: { hours: claim, claimedAt: now },
        setWhere: isNull(credits.issuedAt),
      })
      .returning();
    if (!row)
      throw new AppError("conflict", "credit for this activity was already issued; download the certificate");
    return { credit: creditJson(row!), eligibility: d };
  });
}

/**
 * Issues every claimed, unissued credit whose claim attendance still supports, numbering certificates
 * `<event slug>-<0001…>` in claim order; claims it no longer supports are withheld with the reason.
 */
export async function issueCredits(db: Database, orgId: string, eventId: string, now: Date) {
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const { decisions } = await eligibility(tx, orgId, eventId);
    const rows = await tx
      .select()
      .from(credits)
      .where(and(eq(credits.orgId, orgId), eq(credits.eventId, eventId)))
      .orderBy(asc(credits.claimedAt), asc(credits.id));
    let seq = rows.filter((r) => r.certificateNo).length;
    const issued: string[] = [];
    const withheld: { personId: string; reason: string }[] = [];
    for (const r of rows) {
      if (r.issuedAt) continue;
      const d = decisionFor(decisions, r.personId);
      if (!d.eligible || Number(r.hours) > d.creditHours + 1e-9) {
        withheld.push({
          personId: r.personId,
          reason: d.eligible ? `claimed ${r.hours} h, attendance supports ${d.creditHours} h` : d.reason,
        });
        continue;
      }
      seq += 1;
      await tx
        .update(credits)
        .set({ issuedAt: now, certificateNo: `${event.slug.toUpperCase()}-${String(seq).padStart(4, "0")}` })
        .where(and(eq(credits.orgId, orgId), eq(credits.id, r.id)));
      issued.push(r.id);
    }
    return { issued: issued.length, withheld };
  });
}

/** Credits of an event: eligibility per attendee, claims and issues, and physician / other learner counts. */
export async function listCredits(db: Database, orgId: string, eventId: string) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const { decisions, attended, credited, settings } = await eligibility(tx, orgId, eventId);
    const rows = await tx
      .select()
      .from(credits)
      .where(and(eq(credits.orgId, orgId), eq(credits.eventId, eventId)))
      .orderBy(asc(credits.claimedAt), asc(credits.id));
    const ids = [...attended];
    const degrees =
      ids.length === 0
        ? []
        : await tx
            .select({ id: people.id, degree: people.degree })
            .from(people)
            .where(and(eq(people.orgId, orgId), inArray(people.id, ids)));
    const physicians = degrees.filter((p) => isPhysician(p.degree)).length;
    return {
      note: "Compliance, not learning: credits follow attendance and minimum time only.",
      rule: {
        creditType: settings.creditType,
        minSessionShare: settings.minSessionShare,
        minTotalMinutes: settings.minTotalMinutes,
        increment: settings.creditIncrement,
      },
      creditedSessions: credited,
      learners: { total: attended.size, physicians, other: attended.size - physicians },
      eligible: decisions.filter((d) => d.eligible).length,
      claimed: rows.length,
      issued: rows.filter((r) => r.issuedAt).length,
      hoursIssued: rows.filter((r) => r.issuedAt).reduce((s, r) => s + Number(r.hours), 0),
      decisions,
      credits: rows.map(creditJson),
    };
  });
}

async function certificateFor(tx: Tx, orgId: string, credit: CreditRow) {
  if (!credit.issuedAt || !credit.certificateNo) {
    throw new AppError(
      "conflict",
      "this credit is claimed but not issued yet; the certificate comes with the issue",
    );
  }
  const event = await requireEvent(tx, orgId, credit.eventId);
  const [p] = await tx
    .select()
    .from(people)
    .where(and(eq(people.orgId, orgId), eq(people.id, credit.personId)));
  const name = [p?.firstName, p?.lastName].filter(Boolean).join(" ") || (p?.email ?? "Learner");
  const degree = p?.degree ? `, ${p.degree}` : "";
  return certificatePdf({
    lines: [
      { text: "Certificate of Participation", size: 30, bold: true },
      { text: "This certifies that", size: 14 },
      { text: `${name}${degree}`, size: 24, bold: true },
      { text: `participated in "${event.name}"`, size: 14 },
      {
        text: `${event.startsAt.toISOString().slice(0, 10)} to ${event.endsAt.toISOString().slice(0, 10)}`,
        size: 12,
      },
      {
        text: `and was awarded ${Number(credit.hours)} ${credit.creditType}${Number(credit.hours) === 1 ? "" : "s"}.`,
        size: 16,
        bold: true,
      },
      {
        text: `Certificate ${credit.certificateNo}, issued ${credit.issuedAt.toISOString().slice(0, 10)}`,
        size: 11,
      },
    ],
  });
}

/** The certificate PDF of one issued credit (educator view). */
export async function certificateById(db: Database, orgId: string, eventId: string, creditId: string) {
  return db.withOrg(orgId, async (tx) => {
    const [c] = await tx
      .select()
      .from(credits)
      .where(and(eq(credits.orgId, orgId), eq(credits.eventId, eventId), eq(credits.id, creditId)));
    if (!c) throw new AppError("not_found", `no credit ${creditId} in this event`);
    return { pdf: await certificateFor(tx, orgId, c), certificateNo: c.certificateNo! };
  });
}

/** The learner's own certificate through their credit link. */
export async function certificateByLink(db: Database, token: string) {
  const link = await verifyLink(db, token, "credit");
  return db.withOrg(link.o, async (tx) => {
    const rows = await tx
      .select()
      .from(credits)
      .where(and(eq(credits.orgId, link.o), eq(credits.eventId, link.i), eq(credits.personId, link.p!)));
    const c = rows.find((r) => r.issuedAt) ?? rows[0];
    if (!c) throw new AppError("not_found", "no credit claimed yet on this link");
    return { pdf: await certificateFor(tx, link.o, c), certificateNo: c.certificateNo! };
  });
}

/** The credit link's view: what attendance earned and what was claimed or issued. */
export async function openCredit(db: Database, token: string) {
  const link = await verifyLink(db, token, "credit");
  return db.withOrg(link.o, async (tx) => {
    const event = await requireEvent(tx, link.o, link.i);
    const { decisions, settings } = await eligibility(tx, link.o, link.i);
    const rows = await tx
      .select()
      .from(credits)
      .where(and(eq(credits.orgId, link.o), eq(credits.eventId, link.i), eq(credits.personId, link.p!)));
    return {
      kind: "credit" as const,
      eventName: event.name,
      creditType: settings.creditType,
      eligibility: decisionFor(decisions, link.p!),
      credits: rows.map(creditJson),
    };
  });
}
