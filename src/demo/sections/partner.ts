import { attend } from "../attendance.ts";
import { PARTNER_TIERS, REGISTRATIONS_PER_MONTH } from "../constants.ts";
import { DAY, q, ts } from "../format.ts";
import { writeOpportunity } from "../opportunity.ts";
import { Rng } from "../rng.ts";
import { accountPersonId, partnerContactEmail, personName, type World } from "../world.ts";
import type { SectionPlan } from "./section.ts";

const PARTNER_SUFFIXES = ["Partners", "Solutions", "Consulting", "Integrators", "Advisory"];
const STATUSES = ["submitted", "approved", "rejected", "converted", "expired"] as const;
const STATUS_WEIGHTS = [0.1, 0.45, 0.15, 0.2, 0.1];

/** The partners table itself. */
export function partnerListSection(w: World): SectionPlan {
  return {
    name: "partners",
    section: "setup",
    shift: 0,
    units: w.partners.n,
    run(out, p) {
      const [first, last] = personName(w.seed, 9, p, 0);
      out.row(
        "partners",
        `${w.gen.partners.id(p)},PRT${10000 + p},${q(`${last} ${PARTNER_SUFFIXES[(p + first.length) % PARTNER_SUFFIXES.length]}`)},${PARTNER_TIERS[w.partners.tier[p]!]},${w.partnerManagers[w.partners.manager[p]!]!.id},${ts(w.h0)}`,
      );
    },
  };
}

/**
 * One partner's year: two contacts, the partner event (if it attended one), and its deal registrations: a Poisson
 * stream at the tier's rate per 30 days, plus `partner_registration_lift` per 30 days from the start of the partner
 * event it attended. Converted registrations become partner-sourced opportunities in the registered account.
 */
export function partnerSection(w: World): SectionPlan {
  return {
    name: "partner activity",
    section: "partner",
    shift: 20,
    units: w.partners.n,
    run(out, p) {
      const rng = Rng.of(w.seed, "partner", p);
      const partnerId = w.gen.partners.id(p);
      const tier = w.partners.tier[p]!;
      const contacts: string[] = [];
      for (let j = 0; j < 2; j++) {
        const id = w.gen.partnerPeople.id(p * 16 + j);
        contacts.push(id);
        const [first, last] = personName(w.seed, 2, p, j);
        out.row(
          "people",
          `${id},,,${partnerId},${partnerContactEmail(p, j, first, last)},${first},${last},${j === 0 ? "Alliance Director" : "Partner Sales Manager"},,,,${ts(w.h0)}`,
        );
      }
      const evIndex = w.partners.event[p]!;
      if (evIndex >= 0) {
        const ev = w.events[evIndex]!;
        attend(out, rng, ev, contacts[0]!, null, { attend: true, source: "partner_portal" });
        if (rng.chance(0.5)) attend(out, rng, ev, contacts[1]!, null, { source: "partner_portal" });
      }
      // Portal activity of the contacts (online, no account).
      for (const c of contacts) {
        for (let t = w.h0 + rng.exp(30 * DAY); t < w.now; t += rng.exp(30 * DAY)) {
          out.touch(t, "partner", "portal_login", true, c, null);
        }
      }
      const base = REGISTRATIONS_PER_MONTH[tier]!;
      const change = evIndex >= 0 ? w.events[evIndex]!.start : w.now;
      const register = (t: number) => {
        const a = rng.int(w.accounts.n);
        const accountId = w.gen.accounts.id(a);
        let status: string = STATUSES[rng.weighted(STATUS_WEIGHTS)]!;
        const amount = Math.round(rng.range(5_000, 150_000) / 100) * 10_000;
        let oppId = "";
        if (status === "converted") {
          const opened = t + rng.range(1, 14) * DAY;
          const contact = accountPersonId(w, a, rng.int(Math.min(2, w.accounts.people[a]!)));
          if (opened <= w.now)
            oppId = writeOpportunity(out, rng, a, opened, "partner_sourced", partnerId, contact).id;
          else status = "approved";
        }
        out.row(
          "deal_registrations",
          `${out.id("deal_registrations")},,${partnerId},${accountId},${oppId},${status},${amount},${ts(t)},${ts(t)}`,
        );
        out.touch(t, "partner", "deal_registration", true, null, accountId, null, null, oppId || null);
      };
      const before = (30 * DAY) / base;
      for (let t = w.h0 + rng.exp(before); t < change; t += rng.exp(before)) register(t);
      if (change < w.now) {
        const after = (30 * DAY) / Math.max(1e-9, base + w.effects.partner_registration_lift);
        for (let t = change + rng.exp(after); t < w.now; t += rng.exp(after)) register(t);
      }
    },
  };
}
