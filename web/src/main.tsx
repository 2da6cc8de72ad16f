import { type ReactNode, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { KioskApp } from "./checkin/kiosk-app.tsx";
import { AttendeeApp } from "./engagement/attendee-app.tsx";
import { LearnerApp } from "./learning/learner-app.tsx";
import { RegistrationApp, RsvpApp, TicketApp } from "./registration/registration-app.tsx";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
// Public pages (no sign-in), one line each, by path prefix; everything else is the signed-in app.
const publicPages: [prefix: string, page: () => ReactNode][] = [
  ["/learn/", LearnerApp],
  ["/r/", RegistrationApp],
  ["/t/", TicketApp],
  ["/rsvp/", RsvpApp],
  ["/e/", AttendeeApp],
  ["/kiosk/", KioskApp],
];
const Page = publicPages.find(([prefix]) => window.location.pathname.startsWith(prefix))?.[1] ?? App;
createRoot(root).render(
  <StrictMode>
    <Page />
  </StrictMode>,
);
