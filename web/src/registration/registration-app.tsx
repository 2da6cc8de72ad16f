import { type FormEvent, useEffect, useState } from "react";
import { encodeQr } from "../../../src/core/tickets/qr.ts";
import { call, type PublicApiError } from "./public-api.ts";

interface Question {
  key: string;
  label: string;
  kind: "text" | "choice" | "multi" | "checkbox" | "number";
  required: boolean;
  options?: string[];
}
interface PublicEvent {
  name: string;
  startsLocal: string;
  timeZone: string;
  venue: string | null;
  virtualUrl: string | null;
  description: string | null;
  inviteOnly: boolean;
  registrationOpen: boolean;
  placesLeft: number | null;
  questions: Question[];
}

/** The public registration page at /r/<org>/<event>: no sign-in, custom questions, consent, a plain answer. */
export function RegistrationApp() {
  const [, , orgSlug = "", eventSlug = ""] = window.location.pathname.split("/");
  const base = `/api/public/orgs/${encodeURIComponent(orgSlug)}/events/${encodeURIComponent(eventSlug)}`;
  const [event, setEvent] = useState<PublicEvent | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const [fields, setFields] = useState({ firstName: "", lastName: "", email: "", consent: false });
  const [result, setResult] = useState<{ ok: boolean; message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<PublicEvent>(base)
      .then(setEvent)
      .catch((e: Error) => setLoadError(e.message));
  }, [base]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await call<{ message: string }>(`${base}/registrations`, {
        method: "POST",
        body: JSON.stringify({ ...fields, answers }),
      });
      setResult({ ok: true, message: r.message });
    } catch (error) {
      const err = error as PublicApiError;
      setResult({ ok: false, message: err.message, ...(err.field ? { field: err.field } : {}) });
    } finally {
      setBusy(false);
    }
  }

  if (loadError) {
    return (
      <main className="sign-in">
        <div className="sign-in-card" role="alert">
          <h1>Registration</h1>
          <p>{loadError}</p>
        </div>
      </main>
    );
  }
  if (!event) return <p className="boot">Loading…</p>;
  const setAnswer = (key: string, value: unknown) => setAnswers((a) => ({ ...a, [key]: value }));
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <h1>{event.name}</h1>
        <p>
          {event.startsLocal} ({event.timeZone}){event.venue ? ` · ${event.venue}` : ""}
        </p>
        {event.description ? <p className="muted">{event.description}</p> : null}
        {event.placesLeft === 0 ? (
          <p className="alert">The event is full: registering puts you on the waitlist.</p>
        ) : null}
        {!event.registrationOpen ? (
          <p className="alert" role="status">
            {event.inviteOnly ? "This event is by invitation only." : "Registration is not open."}
          </p>
        ) : result?.ok ? (
          <div className="alert alert-success" role="status">
            <p>{result.message}</p>
          </div>
        ) : (
          <form onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor="firstName">First name</label>
              <input
                id="firstName"
                value={fields.firstName}
                onChange={(e) => setFields({ ...fields, firstName: e.target.value })}
                required
              />
            </div>
            <div className="field">
              <label htmlFor="lastName">Last name</label>
              <input
                id="lastName"
                value={fields.lastName}
                onChange={(e) => setFields({ ...fields, lastName: e.target.value })}
                required
              />
            </div>
            <div className="field">
              <label htmlFor="email">Email</label>
              <input
                id="email"
                type="email"
                value={fields.email}
                onChange={(e) => setFields({ ...fields, email: e.target.value })}
                required
              />
            </div>
            {event.questions.map((q) => (
              <div className="field" key={q.key}>
                {q.kind === "checkbox" ? (
                  <label>
                    <input type="checkbox" onChange={(e) => setAnswer(q.key, e.target.checked)} /> {q.label}
                  </label>
                ) : (
                  <>
                    <label htmlFor={`q-${q.key}`}>
                      {q.label}
                      {q.required ? " (required)" : ""}
                    </label>
                    {q.kind === "choice" ? (
                      <select
                        id={`q-${q.key}`}
                        defaultValue=""
                        onChange={(e) => setAnswer(q.key, e.target.value)}
                      >
                        <option value="">Choose…</option>
                        {q.options?.map((o) => (
                          <option key={o}>{o}</option>
                        ))}
                      </select>
                    ) : q.kind === "multi" ? (
                      <select
                        id={`q-${q.key}`}
                        multiple
                        onChange={(e) =>
                          setAnswer(
                            q.key,
                            [...e.target.selectedOptions].map((o) => o.value),
                          )
                        }
                      >
                        {q.options?.map((o) => (
                          <option key={o}>{o}</option>
                        ))}
                      </select>
                    ) : (
                      <input
                        id={`q-${q.key}`}
                        type={q.kind === "number" ? "number" : "text"}
                        onChange={(e) =>
                          setAnswer(q.key, q.kind === "number" ? Number(e.target.value) : e.target.value)
                        }
                      />
                    )}
                  </>
                )}
              </div>
            ))}
            <div className="field">
              <label>
                <input
                  type="checkbox"
                  checked={fields.consent}
                  onChange={(e) => setFields({ ...fields, consent: e.target.checked })}
                />{" "}
                I agree that the organizer stores my details to run this event and follow up on it.
              </label>
            </div>
            {result && !result.ok ? (
              <p className="alert alert-error" role="alert">
                {result.message}
              </p>
            ) : null}
            <button className="button button-primary button-block" type="submit" disabled={busy}>
              Register
            </button>
          </form>
        )}
      </div>
    </main>
  );
}

/** The ticket page at /t/<code>: the code to show at the door (a scanner or the kiosk's field reads it). */
export function TicketApp() {
  const code = decodeURIComponent(window.location.pathname.slice("/t/".length));
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <h1>Your ticket</h1>
        <p>
          Show this code at the door. Staff scan the QR code, or type or paste the code below into the kiosk.
        </p>
        <QrImage text={code} />
        <p>
          <code style={{ wordBreak: "break-all", fontSize: "1.1rem" }} data-testid="ticket-code">
            {code}
          </code>
        </p>
      </div>
    </main>
  );
}

/** The RSVP page at /rsvp/<org>/<code> (the link in an invitation email): accept or send regrets. */
export function RsvpApp() {
  const [, , org = "", token = ""] = window.location.pathname.split("/");
  const path = `/api/public/orgs/${encodeURIComponent(org)}/rsvp/${encodeURIComponent(decodeURIComponent(token))}`;
  const [view, setView] = useState<{
    event: { name: string; startsLocal: string; venue: string | null };
    status: string;
  } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    call<NonNullable<typeof view>>(path)
      .then(setView)
      .catch((e: Error) => setMessage(e.message));
  }, [path]);
  const answer = (response: "accept" | "regret") =>
    call<{ message: string }>(path, { method: "POST", body: JSON.stringify({ response }) })
      .then((r) => setMessage(r.message))
      .catch((e: Error) => setMessage(e.message));
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <h1>{view?.event.name ?? "Invitation"}</h1>
        {view ? (
          <p>
            {view.event.startsLocal}
            {view.event.venue ? ` · ${view.event.venue}` : ""}
          </p>
        ) : null}
        {message ? <p role="status">{message}</p> : null}
        {view ? (
          <p>
            <button type="button" className="button button-primary" onClick={() => void answer("accept")}>
              Accept
            </button>{" "}
            <button type="button" className="button" onClick={() => void answer("regret")}>
              Send regrets
            </button>
          </p>
        ) : null}
      </div>
    </main>
  );
}

/** The ticket's QR code as an SVG (four-module quiet zone), drawn from the same pure encoder the server has. */
function QrImage({ text }: { text: string }) {
  const code = encodeQr(text);
  const n = code.size + 8;
  let d = "";
  code.modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x + 4},${y + 4}h1v1h-1z`;
    });
  });
  return (
    <svg
      viewBox={`0 0 ${n} ${n}`}
      width={n * 5}
      height={n * 5}
      shapeRendering="crispEdges"
      role="img"
      aria-label="Ticket QR code"
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
