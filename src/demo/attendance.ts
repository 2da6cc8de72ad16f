import { DAY, HOUR, MINUTE, q, qj, ts } from "./format.ts";
import type { Rng } from "./rng.ts";
import { FEEDBACK_COMMENTS, QUESTION_TEXTS } from "./vocabulary.ts";
import type { EventPlan } from "./world.ts";
import type { UnitWriter } from "./writer.ts";

export interface AttendOptions {
  /** true: attends (leads, accepted invitees); false: a no-show; unset: a no-show with the usual chance. */
  attend?: boolean;
  /** Exactly these sessions (indices); otherwise a random handful. */
  sessions?: number[];
  source?: "web" | "invitation" | "import" | "partner_portal";
  /** Chance of a question per attended session, of event feedback. */
  questionChance?: number;
  feedbackChance?: number;
}

export interface Attendance {
  registrationId: string;
  attended: boolean;
  sessions: number[];
  /** When the person arrived (door entry, or start of the online event). */
  arrivedAt: number;
}

const IN_PERSON_RATINGS = [0.02, 0.05, 0.13, 0.4, 0.4];
const ONLINE_RATINGS = [0.04, 0.08, 0.2, 0.4, 0.28];

/**
 * Registers a person for an event and, when the event is over and the person came, writes what the event
 * systems would have captured: ticket, door and session check-ins (entry and exit) for in-person events, imported
 * attendance minutes for online ones, poll answers, questions and feedback, and the registration and attendance
 * touchpoints (attendance in person is offline, online attendance is online).
 */
export function attend(
  out: UnitWriter,
  rng: Rng,
  ev: EventPlan,
  personId: string,
  accountId: string | null,
  options: AttendOptions = {},
): Attendance {
  const w = out.w;
  const regAt = Math.max(w.h0, Math.min(ev.start - HOUR, w.now - HOUR, ev.start - rng.range(1, 40) * DAY));
  const regId = out.id("registrations");
  const willAttend = ev.past && (options.attend ?? rng.chance(ev.inPerson ? 0.8 : 0.65));
  const source = options.source ?? "web";
  const answers =
    ev.type === "conference" || ev.type === "trade_show"
      ? qj({
          role: rng.pick(["Executive", "Manager", "Practitioner"]),
          interest: rng.pick(["Forecasting", "Automation", "Security"]),
        })
      : "{}";
  const minutes =
    ev.inPerson || !willAttend ? "" : String(Math.round((ev.end - ev.start) / MINUTE) - rng.int(20));
  const attendedFlag = ev.inPerson || !ev.past ? "" : willAttend ? "t" : "f";
  out.row(
    "registrations",
    `${regId},${ev.id},${personId},registered,${source},${answers},${rng.chance(0.7) ? "t" : "f"},,${attendedFlag},${minutes},${ts(regAt)},${ts(ev.past ? ev.end : regAt)}`,
  );
  out.touch(regAt, "web", "event_registration", true, personId, accountId, ev.id, null, null, ev.campaign);
  let ticketId = "";
  if (ev.inPerson) {
    ticketId = out.id("tickets");
    out.row("tickets", `${ticketId},${ev.id},${regId},${ts(regAt)},${ts(ev.end + DAY)}`);
  }
  if (!willAttend) return { registrationId: regId, attended: false, sessions: [], arrivedAt: ev.start };

  let sessions = options.sessions;
  if (!sessions) {
    const n = ev.sessions.length;
    const count = Math.min(n, 1 + rng.int(Math.min(4, n)));
    const picked = new Set<number>();
    while (picked.size < count) picked.add(rng.int(n));
    sessions = [...picked].sort((x, y) => x - y);
  }
  let arrivedAt = ev.start;
  const device = `kiosk-${1 + rng.int(4)}`;
  if (ev.inPerson) {
    arrivedAt = ev.start + rng.range(-30, 60) * MINUTE;
    const entry = out.id("check_ins");
    out.row(
      "check_ins",
      `${entry},${ev.id},,${personId},${ticketId},entry,qr,${entry},${device},${ts(arrivedAt)}`,
    );
    out.touch(arrivedAt, "event", "attended", false, personId, accountId, ev.id, null, null, ev.campaign);
  } else {
    out.touch(
      ev.start + rng.range(0, 5) * MINUTE,
      ev.type === "webinar" ? "webinar" : "event",
      "attended_online",
      true,
      personId,
      accountId,
      ev.id,
      null,
      null,
      ev.campaign,
    );
  }
  const tracked = ev.inPerson || ev.type === "customer_training" || ev.type === "cme_activity";
  const questionChance = options.questionChance ?? (ev.inPerson ? 0.03 : 0.08);
  for (const si of sessions) {
    const s = ev.sessions[si]!;
    if (tracked) {
      const method = ev.inPerson ? "qr" : "import";
      const inId = out.id("check_ins");
      const enter = Math.max(arrivedAt, s.start + rng.range(-5, 10) * MINUTE);
      out.row(
        "check_ins",
        `${inId},${ev.id},${s.id},${personId},${ticketId},entry,${method},${inId},${ev.inPerson ? device : ""},${ts(enter)}`,
      );
      if (rng.chance(0.8)) {
        const outId = out.id("check_ins");
        out.row(
          "check_ins",
          `${outId},${ev.id},${s.id},${personId},${ticketId},exit,${method},${outId},${ev.inPerson ? device : ""},${ts(s.end - rng.range(0, 10) * MINUTE)}`,
        );
      }
    }
    if (s.poll >= 0 && rng.chance(0.5)) {
      const poll = ev.polls[s.poll]!;
      out.row(
        "poll_answers",
        `${out.id("poll_answers")},${poll.id},${personId},${rng.int(poll.options.length)},${ts(s.start + rng.range(10, 40) * MINUTE)}`,
      );
    }
    if (rng.chance(questionChance)) {
      out.row(
        "questions",
        `${out.id("questions")},${ev.id},${s.id},${personId},${q(rng.pick(QUESTION_TEXTS))},${rng.chance(0.6) ? "t" : "f"},${ts(s.start + rng.range(5, 40) * MINUTE)}`,
      );
    }
    if (rng.chance(0.1) && s.end + HOUR < w.now) {
      out.row(
        "feedback",
        `${out.id("feedback")},${ev.id},${s.id},${personId},${1 + rng.weighted(ev.inPerson ? IN_PERSON_RATINGS : ONLINE_RATINGS)},,${ts(s.end + rng.range(0, 60) * MINUTE)}`,
      );
    }
  }
  if (ev.inPerson && rng.chance(0.5)) {
    const exitId = out.id("check_ins");
    out.row(
      "check_ins",
      `${exitId},${ev.id},,${personId},${ticketId},exit,qr,${exitId},${device},${ts(ev.end - rng.range(0, 60) * MINUTE)}`,
    );
  }
  if (rng.chance(options.feedbackChance ?? 0.35) && ev.end + 48 * HOUR < w.now) {
    const comment = rng.chance(0.3) ? q(rng.pick(FEEDBACK_COMMENTS)) : "";
    out.row(
      "feedback",
      `${out.id("feedback")},${ev.id},,${personId},${1 + rng.weighted(ev.inPerson ? IN_PERSON_RATINGS : ONLINE_RATINGS)},${comment === '""' ? "" : comment},${ts(ev.end + rng.range(1, 48) * HOUR)}`,
    );
  }
  return { registrationId: regId, attended: true, sessions, arrivedAt };
}
