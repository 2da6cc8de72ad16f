import type { ComponentType } from "react";
import { EventsArea } from "./events/events-area.tsx";
import { ImpactPage } from "./impact/impact-page.tsx";
import { LeadsPage } from "./leads/leads-page.tsx";
import { LearningPage } from "./learning/learning-page.tsx";
import { MovementPage } from "./movement/movement-page.tsx";
import { SettingsPage } from "./settings/settings-page.tsx";

export interface Area {
  path: string;
  label: string;
  /** A few words under the label in the navigation. */
  hint: string;
  page: ComponentType;
}

/** The product areas, in navigation order: the one table the router and the navigation share. */
export const areas: Area[] = [
  { path: "/events", label: "Events", hint: "Run and list events", page: EventsArea },
  { path: "/impact", label: "Impact", hint: "Attribution and ROI", page: ImpactPage },
  { path: "/leads", label: "Leads", hint: "Capture and follow-up", page: LeadsPage },
  { path: "/learning", label: "Learning", hint: "Validated learning", page: LearningPage },
  { path: "/movement", label: "Movement", hint: "Accounts, partners, kickoff", page: MovementPage },
  { path: "/settings", label: "Settings", hint: "API keys", page: SettingsPage },
];

export const homePath = "/events";

/** The area whose path is `path` or a parent of it. */
export function areaFor(path: string): Area | undefined {
  return areas.find((area) => path === area.path || path.startsWith(`${area.path}/`));
}
