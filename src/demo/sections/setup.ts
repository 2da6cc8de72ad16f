import { costCategories } from "../../db/schema/vocabulary.ts";
import { DAY, q, qj, ts } from "../format.ts";
import { Rng } from "../rng.ts";
import type { World } from "../world.ts";
import type { SectionPlan } from "./section.ts";

/** Rough budget per event type in dollars, split over cost lines. */
const BUDGET: Record<string, number> = {
  conference: 250_000,
  trade_show: 120_000,
  field_event: 15_000,
  webinar: 2_500,
  executive_roundtable: 12_000,
  partner_event: 60_000,
  sales_kickoff: 400_000,
  customer_training: 5_000,
  cme_activity: 30_000,
};

const REGISTRATION_QUESTIONS = [
  {
    key: "role",
    label: "Your role",
    kind: "select",
    required: true,
    options: ["Executive", "Manager", "Practitioner"],
  },
  {
    key: "interest",
    label: "What brings you here?",
    kind: "select",
    required: false,
    options: ["Forecasting", "Automation", "Security"],
  },
];

/** Users, events with their sessions, costs, polls and assessments, and the learning journeys. */
export function setupSection(w: World): SectionPlan {
  return {
    name: "users and events",
    section: "setup",
    shift: 0,
    units: 1,
    run(out) {
      const rng = Rng.of(w.seed, "setup");
      for (const u of w.users) {
        const territory = u.territory >= 0 ? q(w.territories[u.territory]!) : "";
        out.row("users", `${u.id},${u.email},${q(u.name)},${u.role},${territory},${ts(w.h0)}`);
      }
      const costGen = w.ids.gen("event_costs", "setup");
      let costTail = 0;
      for (const ev of w.events) {
        const questions =
          ev.type === "conference" || ev.type === "trade_show" ? qj(REGISTRATION_QUESTIONS) : "[]";
        const status = ev.past ? "completed" : "published";
        const description = `${ev.name}: ${ev.inviteOnly ? "invitation only" : "open registration"}.`;
        out.row(
          "events",
          `${ev.id},EV-${ev.index + 1000},${q(ev.name)},${ev.slug},${ev.type},${ev.format},${status},${ts(ev.start)},${ts(ev.end)},${ev.zone},${ev.venue === null ? "" : q(ev.venue)},${ev.virtualUrl ?? ""},${ev.capacity ?? ""},${ev.inviteOnly ? "t" : "f"},${ev.owner},${q(description)},${questions},${ts(Math.max(w.h0, ev.start - 60 * DAY))}`,
        );
        for (const s of ev.sessions) {
          out.row(
            "event_sessions",
            `${s.id},${ev.id},${q(s.title)},${s.track ?? ""},${s.room ?? ""},${ts(s.start)},${ts(s.end)},${s.capacity ?? ""},${qj(s.speakers)},${qj(s.objectives)},${qj(s.topics)},${qj(s.features)},${s.creditHours ?? ""}`,
          );
        }
        const budget = BUDGET[ev.type]! * rng.range(0.7, 1.3);
        const lines = ev.inPerson
          ? ["venue", "catering", "travel", "staff", "sponsorship"]
          : ["staff", "other"];
        const weights = lines.map(() => rng.range(0.5, 1.5));
        const total = weights.reduce((x, y) => x + y, 0);
        lines.forEach((category, i) => {
          if (!costCategories.includes(category as (typeof costCategories)[number])) return;
          const amount = Math.round((budget * weights[i]!) / total) * 100;
          out.row(
            "event_costs",
            `${costGen.id(costTail++)},${ev.id},${category},${q(`${category} for ${ev.name}`)},${amount},${ts(Math.max(w.h0, ev.start - rng.range(5, 50) * DAY))}`,
          );
        });
        for (const p of ev.polls) {
          out.row(
            "polls",
            `${p.id},${ev.id},${ev.sessions[p.session]!.id},${q(p.question)},${qj(p.options)},${ev.past ? "closed" : "draft"}`,
          );
        }
        const a = ev.assessment;
        if (a) {
          const closes =
            a.delays.length > 0 ? ts(ev.end + (Math.max(...a.delays) + 14) * DAY) : ts(ev.end + 14 * DAY);
          out.row("assessments", `${a.id},${ev.id},,${q(a.title)},${qj(a.delays)},${closes}`);
          for (const item of a.items) {
            out.row(
              "assessment_items",
              `${item.id},${a.id},${item.position},${item.kind},${q(item.prompt)},${qj(item.options)},${qj(item.correct)},${q(item.objective)},${item.level}`,
            );
          }
        }
      }
      for (const j of [w.journeys.user, w.journeys.admin, w.journeys.sko]) {
        out.row(
          "journeys",
          `${j.id},${q(j.name)},${j.role},${q(`${j.name}: spaced sessions, drills, tasks and coaching`)}`,
        );
        j.steps.forEach((s, i) => {
          const title =
            s.kind === "task"
              ? `Do it in the product: ${s.feature}`
              : s.kind === "reinforcement"
                ? `Drill ${i}`
                : s.kind === "coaching"
                  ? "Coaching call"
                  : "Kick-off session";
          out.row(
            "journey_steps",
            `${s.id},${j.id},${i},${s.kind},${q(title)},,${s.feature ?? ""},${s.feature ? q(`Use ${s.feature} unaided`) : ""},${s.offsetDays}`,
          );
        });
      }
    },
  };
}
