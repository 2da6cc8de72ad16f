import { attend } from "../attendance.ts";
import { CME_ABILITY, CME_PRE_MEAN } from "../constants.ts";
import { DAY, HOUR, MINUTE, q, qj, ts } from "../format.ts";
import { Rng } from "../rng.ts";
import { HOSPITALS, SPECIALTIES } from "../vocabulary.ts";
import { type AssessmentPlan, type EventPlan, learnerEmail, personName, type World } from "../world.ts";
import type { UnitWriter } from "../writer.ts";
import type { SectionPlan } from "./section.ts";

const DEGREES = ["MD", "DO", "NP", "PA", "RN"] as const;
const DEGREE_WEIGHTS = [0.6, 0.15, 0.1, 0.07, 0.08];
const CREDIT_TYPE: Record<string, string> = {
  MD: "AMA PRA Category 1 Credit",
  DO: "AMA PRA Category 1 Credit",
  NP: "ANCC contact hours",
  PA: "AAPA Category 1 CME",
  RN: "ANCC contact hours",
};
const TITLE: Record<string, string> = {
  NP: "Nurse Practitioner",
  PA: "Physician Assistant",
  RN: "Registered Nurse",
};
const BARRIERS = ["time", "cost to patients", "formulary", "team buy-in", "EHR workflow"];
const PRE_CONFIDENCE = { right: [0.15, 0.3, 0.35, 0.2], wrong: [0.35, 0.35, 0.2, 0.1] };
const POST_RIGHT = [0.05, 0.15, 0.45, 0.35];
const DELAYED_CONFIDENCE = { right: [0.1, 0.25, 0.4, 0.25], wrong: [0.3, 0.35, 0.25, 0.1] };
/** Share of learners answering each delayed check when it is due. */
const DELAYED_RESPONSE: Record<number, number> = { 30: 0.65, 90: 0.5 };

/**
 * Clinicians and their CME activities. Per item, with pre-test probability p = item difficulty + learner ability:
 * post = p + g·(1 − p) with g = `cme_normalized_gain`; delayed at d days = r_d · post; a wrong post answer carries
 * confidence ≥ 3 with probability `cme_confident_wrong_share` / (1 − mean post), so that share of all post answers
 * are confidently wrong. Who answers which phase is drawn independently of ability.
 */
export function learnerSection(w: World): SectionPlan {
  const g = w.effects.cme_normalized_gain;
  const meanPost = CME_PRE_MEAN + g * (1 - CME_PRE_MEAN);
  const confidentWrong = Math.min(1, w.effects.cme_confident_wrong_share / (1 - meanPost));
  return {
    name: "learners",
    section: "learner",
    shift: 16,
    units: w.spec.cmeLearners,
    run(out, l) {
      const rng = Rng.of(w.seed, "learner", l);
      const pid = w.gen.learnerPeople.id(l);
      const degree = DEGREES[rng.weighted(DEGREE_WEIGHTS)]!;
      const physician = degree === "MD" || degree === "DO";
      const [first, last] = personName(w.seed, 3, l, 0);
      const hospital = rng.pick(HOSPITALS);
      const npi = physician ? `1${String(rng.int(1e9)).padStart(9, "0")}` : "";
      out.row(
        "people",
        `${pid},,,,${learnerEmail(l, first, last, hospital)},${first},${last},${q(physician ? rng.pick(SPECIALTIES) : TITLE[degree]!)},,${degree},${npi},${ts(w.h0)}`,
      );
      const ability = rng.range(-CME_ABILITY, CME_ABILITY);
      const count = Math.min(w.cme.length, 1 + rng.poisson(w.spec.extraActivitiesPerLearner));
      const chosen = new Set<number>();
      while (chosen.size < count) chosen.add(w.cme[rng.int(w.cme.length)]!);
      for (const e of [...chosen].sort((x, y) => x - y)) {
        const ev = w.events[e]!;
        const came = rng.chance(0.9);
        const sessions = ev.sessions.map((_, i) => i).filter(() => rng.chance(0.9));
        const att = attend(out, rng, ev, pid, null, {
          attend: came,
          sessions: sessions.length > 0 ? sessions : [0],
          feedbackChance: 0.5,
        });
        if (!att.attended) continue;
        knowledgeChecks(w, out, rng, ev, ev.assessment!, pid, ability, g, confidentWrong);
        commitmentAndCredit(w, out, rng, ev, pid, degree, att.sessions, l);
      }
    },
  };
}

function knowledgeChecks(
  w: World,
  out: UnitWriter,
  rng: Rng,
  ev: EventPlan,
  a: AssessmentPlan,
  pid: string,
  ability: number,
  g: number,
  confidentWrong: number,
): void {
  const sit = (phase: "pre" | "post" | "delayed", delay: number, sent: number, submitted: number | null) => {
    const attemptId = out.id("assessment_attempts");
    out.row(
      "assessment_attempts",
      `${attemptId},${a.id},${pid},${phase},${delay},${ts(sent)},${submitted === null ? "" : ts(submitted - 12 * MINUTE)},${submitted === null ? "" : ts(submitted)}`,
    );
    if (submitted === null) return;
    for (const item of a.items) {
      const pre = item.pPre + ability;
      const post = pre + g * (1 - pre);
      const p =
        phase === "pre"
          ? pre
          : phase === "post"
            ? post
            : post * (delay === 30 ? w.effects.cme_retention_30 : w.effects.cme_retention_90);
      const correct = rng.chance(p);
      let confidence: number;
      if (phase === "post") {
        confidence = correct
          ? 1 + rng.weighted(POST_RIGHT)
          : rng.chance(confidentWrong)
            ? rng.chance(0.6)
              ? 3
              : 4
            : rng.chance(0.4)
              ? 1
              : 2;
      } else {
        const table = phase === "pre" ? PRE_CONFIDENCE : DELAYED_CONFIDENCE;
        confidence = 1 + rng.weighted(correct ? table.right : table.wrong);
      }
      out.row(
        "responses",
        `${out.id("responses")},${attemptId},${item.id},${pid},${qj(correct ? item.correct : item.wrong)},${correct ? "t" : "f"},${confidence},${ts(submitted - rng.range(1, 11) * MINUTE)}`,
      );
    }
  };
  if (rng.chance(0.95)) {
    const submitted = Math.max(w.h0 + HOUR, ev.start - rng.range(1, 72) * HOUR);
    sit("pre", 0, Math.max(w.h0, submitted - 2 * DAY), submitted);
  }
  if (rng.chance(0.9)) {
    const submitted = ev.end + rng.range(0.5, 48) * HOUR;
    if (submitted <= w.now) sit("post", 0, ev.end, submitted);
  }
  for (const delay of a.delays) {
    const due = ev.end + delay * DAY;
    const answers = rng.chance(DELAYED_RESPONSE[delay] ?? 0.5);
    const submitted = due + rng.range(2, 144) * HOUR;
    if (due > w.now) continue;
    sit("delayed", delay, due, answers && submitted <= w.now ? submitted : null);
    out.touch(due, "email", "knowledge_check", true, pid, null, ev.id);
  }
}

function commitmentAndCredit(
  w: World,
  out: UnitWriter,
  rng: Rng,
  ev: EventPlan,
  pid: string,
  degree: string,
  sessions: number[],
  l: number,
): void {
  if (rng.chance(0.6)) {
    const objective = ev.sessions[sessions[0] ?? 0]!.objectives[0] ?? "apply what I learned";
    const due = ev.end + 60 * DAY;
    const answered = due <= w.now;
    const status = answered
      ? (["implemented_fully", "implemented_partly", "not_implemented", "pending"] as const)[
          rng.weighted([0.3, 0.35, 0.2, 0.15])
        ]!
      : "pending";
    const responded = status !== "pending" ? Math.min(w.now, due + rng.range(0, 10) * DAY) : null;
    const barriers =
      status === "implemented_partly" || status === "not_implemented"
        ? [...new Set([rng.pick(BARRIERS), rng.pick(BARRIERS)])]
        : [];
    out.row(
      "commitments",
      `${out.id("commitments")},${ev.id},${pid},${q(`I will ${objective.charAt(0).toLowerCase()}${objective.slice(1)} with my next patients`)},${ts(due)},${status},${qj(barriers)},${responded === null ? "" : ts(responded)},${ts(ev.end)}`,
    );
  }
  const claimed = ev.end + rng.range(0.1, 10) * DAY;
  if (claimed <= w.now && rng.chance(0.95)) {
    const hours = sessions.reduce((s, i) => s + (ev.sessions[i]!.creditHours ?? 0), 0);
    const issued = claimed + rng.range(0, 3) * DAY;
    out.row(
      "credits",
      `${out.id("credits")},${ev.id},${pid},${q(CREDIT_TYPE[degree]!)},${hours.toFixed(2)},${ts(claimed)},${issued <= w.now ? ts(issued) : ""},CME-${ev.index}-${l}`,
    );
  }
}
