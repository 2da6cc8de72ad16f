import type { Role } from "../../../src/db/schema/vocabulary.ts";
import type { Me } from "../api/types.ts";

// What each role may do on an event, mirroring the roles the routes declare with secured(...) (docs/event-operations.md
// "Roles"). The server decides; this only hides or disables what would be refused.

const writers: readonly Role[] = ["admin", "marketer"];
const nominators: readonly Role[] = ["admin", "marketer", "rep", "partner_manager"];
const hosts: readonly Role[] = ["admin", "marketer", "educator"];
const kioskStaff: readonly Role[] = ["admin", "marketer", "rep", "partner_manager", "educator"];

export interface EventPermissions {
  /** Create and change events, their agenda and costs. */
  edit: boolean;
  /** Cancel registrations, send invitations, read the outbox, retry emails, import files. */
  manage: boolean;
  nominate: boolean;
  /** Approve or decline nominations: the event's owner, admins and marketers. */
  decide: boolean;
  /** Run polls and mark questions answered. */
  host: boolean;
  kiosk: boolean;
}

/** The signed-in user's permissions on an event (the owner matters for decisions on nominations). */
export function permissionsFor(me: Me, event?: { ownerUserId: string | null }): EventPermissions {
  const role = me.user.role;
  return {
    edit: writers.includes(role),
    manage: writers.includes(role),
    nominate: nominators.includes(role),
    decide: writers.includes(role) || (event !== undefined && event.ownerUserId === me.user.id),
    host: hosts.includes(role),
    kiosk: kioskStaff.includes(role),
  };
}
