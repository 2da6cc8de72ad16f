import { attend } from "../attendance.ts";
import { DAY, HOUR, MINUTE, q, qj, ts, WEEK } from "../format.ts";
import { Rng } from "../rng.ts";
import type { World } from "../world.ts";
import type { SectionPlan } from "./section.ts";

const TITLE_BY_ROLE: Record<string, string> = {
  admin: "Revenue Operations",
  marketer: "Field Marketing Manager",
  rep: "Account Executive",
  partner_manager: "Partner Manager",
  educator: "Customer Education Lead",
  viewer: "Finance Analyst",
};

/**
 * Our own people: a person record per user (same email), the sales kickoff (reps as planned in `repSko`, others
 * half the time), the certification after it, and for reinforced reps the reinforcement journey and weekly drills.
 */
export function teamSection(w: World): SectionPlan {
  const repIndex = new Map(w.reps.map((r, i) => [r.index, i]));
  return {
    name: "sales team",
    section: "team",
    shift: 16,
    units: w.users.length,
    run(out, u) {
      const rng = Rng.of(w.seed, "team-member", u);
      const user = w.users[u]!;
      const pid = w.gen.teamPeople.id(u);
      const [first, ...rest] = user.name.split(" ");
      out.row(
        "people",
        `${pid},,,,${user.email},${q(first!)},${q(rest.join(" "))},${q(TITLE_BY_ROLE[user.role]!)},,,,${ts(w.h0)}`,
      );
      const r = repIndex.get(u);
      const status =
        r === undefined
          ? user.role === "viewer" || user.role === "educator"
            ? 0
            : rng.chance(0.5)
              ? 1
              : 0
          : w.repSko[r]!;
      if (status === 0) return;
      const sko = w.events[w.sko]!;
      attend(out, rng, sko, pid, null, {
        attend: true,
        sessions: sko.sessions.map((_, i) => i),
        source: "invitation",
        feedbackChance: 0.6,
      });
      if (r === undefined) return;
      // Certification at the end of day two (scenario role-plays scored right or wrong).
      const assessment = sko.assessment!;
      const attemptId = out.id("assessment_attempts");
      const submitted = sko.end - rng.range(0.5, 2) * HOUR;
      out.row(
        "assessment_attempts",
        `${attemptId},${assessment.id},${pid},post,0,${ts(sko.end - 3 * HOUR)},${ts(submitted - 20 * MINUTE)},${ts(submitted)}`,
      );
      for (const item of assessment.items) {
        const correct = rng.chance(0.75);
        out.row(
          "responses",
          `${out.id("responses")},${attemptId},${item.id},${pid},${qj(correct ? item.correct : item.wrong)},${correct ? "t" : "f"},${correct ? 3 + rng.int(2) : 1 + rng.int(4)},${ts(submitted - rng.range(1, 19) * MINUTE)}`,
        );
      }
      if (status !== 2) return;
      // Reinforced: enrolled in the reinforcement journey, weekly drills and coaching, all done.
      const journey = w.journeys.sko;
      const progress = journey.steps
        .filter((s) => sko.end + s.offsetDays * DAY <= w.now)
        .map((s) => ({
          stepId: s.id,
          at: new Date(sko.end + (s.offsetDays + rng.range(0, 2)) * DAY).toISOString(),
          evidence:
            s.kind === "coaching" ? "manager_observation" : s.kind === "session" ? "check_in" : "drill",
        }));
      out.row(
        "journey_enrollments",
        `${out.id("journey_enrollments")},${journey.id},${pid},${ts(sko.end)},${qj(progress)},${(0.7 + rng.range(0, 0.3)).toFixed(4)}`,
      );
      for (let week = 1; week <= 8; week++) {
        const due = sko.end + week * WEEK;
        if (due > w.now) break;
        out.row(
          "follow_ups",
          `${out.id("follow_ups")},coaching,,${pid},${sko.id},${w.admin.id},meeting,f,${q(`Messaging drill, week ${week}`)},,done,${ts(due)},${ts(due + rng.range(0, 48) * HOUR)},,${ts(sko.end)}`,
        );
      }
    },
  };
}
