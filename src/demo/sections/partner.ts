import { attend } from "../attendance.ts";
import { PARTNER_TIERS } from "../constants.ts";
import { forEachRegistration } from "../deals.ts";
import { DAY, q, ts } from "../format.ts";
import { writeOpportunity } from "../opportunity.ts";
import { Rng } from "../rng.ts";
import { accountPersonId, partnerContactEmail, personName, type World } from "../world.ts";
import type { SectionPlan } from "./section.ts";

const PARTNER_SUFFIXES = ["Partners", "Solutions", "Consulting", "Integrators", "Advisory"];

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
      // Deal registrations, drawn apart (see deals.ts); converted ones become partner-sourced opportunities.
      forEachRegistration(w, p, (r) => {
        const accountId = w.gen.accounts.id(r.account);
        const contact = r.deal ? accountPersonId(w, r.account, r.contact) : "";
        const oppId = r.deal
          ? writeOpportunity(out, r.account, r.deal, "partner_sourced", partnerId, contact)
          : "";
        out.row(
          "deal_registrations",
          `${out.id("deal_registrations")},,${partnerId},${accountId},${oppId},${r.status},${r.amount},${ts(r.at)},${ts(r.at)}`,
        );
        out.touch(r.at, "partner", "deal_registration", true, null, accountId, null, null, oppId || null);
      });
    },
  };
}
