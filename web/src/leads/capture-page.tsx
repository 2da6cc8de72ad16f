import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { extractNote } from "../../../src/core/leads/extract-note.ts";
import {
  type BuyingRole,
  buyingRoles,
  buyingStages,
  emptyFields,
  type LeadFields,
  urgencies,
} from "../../../src/core/leads/vocabulary.ts";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import type { EventList } from "../api/types.ts";
import { Link, navigate } from "../router/router.tsx";
import { qrDetector, useQrCamera } from "../scan/use-qr-camera.ts";
import {
  flushCaptures,
  putCapture,
  type QueuedCapture,
  queuedCaptures,
  sendCapture,
} from "./capture-queue.ts";
import type { Extraction, PersonHit } from "./types.ts";

interface EventChoice {
  id: string;
  name: string;
  timeZone: string;
}

const LAST_EVENT = "throughline.leads.event";
const label = (s: string) => s.replace(/_/g, " ");

function rememberedEvent(): EventChoice | null {
  try {
    return JSON.parse(localStorage.getItem(LAST_EVENT) ?? "null") as EventChoice | null;
  } catch {
    return null;
  }
}

type Who = "badge" | "search" | "new";

/** The phone page reps use at the booth: who (badge, search or typed), the note, the confirmed fields; works offline. */
export function CapturePage({ eventId }: { eventId: string | null }) {
  const [event, setEvent] = useState<EventChoice | null>(() => {
    const last = rememberedEvent();
    return last && (!eventId || last.id === eventId) ? last : null;
  });
  const [events, setEvents] = useState<EventChoice[]>([]);
  const [who, setWho] = useState<Who>("badge");
  const [badge, setBadge] = useState("");
  const [camera, setCamera] = useState(false);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  useQrCamera(
    camera && who === "badge",
    video,
    (value) => {
      setBadge(value);
      setCamera(false);
    },
    setCameraError,
  );
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<PersonHit[]>([]);
  const [picked, setPicked] = useState<PersonHit | null>(null);
  const [person, setPerson] = useState({ firstName: "", lastName: "", email: "", company: "", title: "" });
  const [note, setNote] = useState("");
  const [fields, setFields] = useState<LeadFields | null>(null);
  const [extractor, setExtractor] = useState<string>("");
  const [message, setMessage] = useState<{ kind: "ok" | "error" | "info"; text: string } | null>(null);
  const [queue, setQueue] = useState<QueuedCapture[]>([]);
  const [online, setOnline] = useState(() => navigator.onLine);

  const refreshQueue = useCallback(async () => setQueue(await queuedCaptures()), []);

  useEffect(() => {
    api.get<EventList>("/api/events", { limit: 200 }).then(
      (list) => {
        const choices = list.events.map((e) => ({ id: e.id, name: e.name, timeZone: e.timeZone }));
        setEvents(choices);
        const match = choices.find((e) => e.id === eventId);
        if (match) setEvent(match);
      },
      () => undefined, // offline: keep the remembered event
    );
  }, [eventId]);

  useEffect(() => {
    if (event) localStorage.setItem(LAST_EVENT, JSON.stringify(event));
  }, [event]);

  useEffect(() => {
    const flush = async () => {
      const sent = await flushCaptures();
      if (sent > 0)
        setMessage({ kind: "ok", text: `${sent} capture${sent === 1 ? "" : "s"} sent from the queue.` });
      await refreshQueue();
    };
    const up = () => {
      setOnline(true);
      void flush();
    };
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    void flush();
    const timer = window.setInterval(() => void flush(), 30_000);
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
      window.clearInterval(timer);
    };
  }, [refreshQueue]);

  useEffect(() => {
    if (who !== "search" || !event || query.trim().length < 2) {
      setHits([]);
      return;
    }
    let live = true;
    const t = window.setTimeout(() => {
      api
        .get<{ people: PersonHit[] }>(`/api/events/${event.id}/lead-people`, { q: query.trim() })
        .then((r) => live && setHits(r.people))
        .catch(() => live && setHits([]));
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [who, query, event]);

  const suggest = async () => {
    if (!event) return;
    try {
      const proposal = await api.post<Extraction>("/api/leads/extract", { note, eventId: event.id });
      setFields(proposal.fields);
      setExtractor(proposal.extractor === "llm" ? "suggested by the model" : "suggested from the note");
    } catch {
      // Offline: the same built-in extractor runs on the phone.
      setFields(extractNote(note, { now: new Date(), timeZone: event.timeZone }).fields);
      setExtractor("suggested on this phone (offline)");
    }
  };

  const reset = () => {
    setBadge("");
    setQuery("");
    setHits([]);
    setPicked(null);
    setPerson({ firstName: "", lastName: "", email: "", company: "", title: "" });
    setNote("");
    setFields(null);
    setExtractor("");
  };

  const typed = Object.fromEntries(Object.entries(person).filter(([, v]) => v.trim() !== "")) as Record<
    string,
    string
  >;
  const hasTyped = Boolean(typed.firstName || typed.lastName || typed.email);
  const ready =
    event !== null &&
    ((who === "badge" && badge.trim() !== "") ||
      (who === "search" && picked !== null) ||
      (who === "new" && hasTyped));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!event || !ready) return;
    const body: Record<string, unknown> = {
      nonce: crypto.randomUUID(),
      occurredAt: new Date().toISOString(),
      note,
    };
    if (who === "badge") {
      body.badge = badge.trim();
      // If the badge turns out unknown, the server creates the person from what was typed.
      if (hasTyped) body.person = typed;
    } else if (who === "search") body.personId = picked!.id;
    else body.person = typed;
    if (fields) body.fields = fields;
    const item: QueuedCapture = {
      nonce: body.nonce as string,
      eventId: event.id,
      body,
      label:
        who === "search"
          ? picked!.name
          : [typed.firstName, typed.lastName].filter(Boolean).join(" ") ||
            typed.email ||
            `badge ${badge.slice(0, 12)}…`,
      queuedAt: new Date().toISOString(),
    };
    await putCapture(item); // stored before any network call: nothing typed is lost
    const outcome = await sendCapture(item);
    if (outcome.kind === "sent") {
      const { lead, merged } = outcome.result;
      setMessage({
        kind: "ok",
        text: `${lead.person.name}: tier ${lead.tier ?? "?"}${lead.ownerName ? `, routed to ${lead.ownerName}` : ""}${merged ? " (added to the existing lead)" : ""}.`,
      });
      reset();
    } else if (outcome.kind === "offline") {
      setMessage({
        kind: "info",
        text: "No connection: the capture is saved on this phone and will be sent when online.",
      });
      reset();
    } else setMessage({ kind: "error", text: `Not saved by the server: ${outcome.message}` });
    await refreshQueue();
  };

  if (!event) {
    return (
      <section aria-labelledby="page-title">
        <header className="page-header">
          <h1 id="page-title">Capture a conversation</h1>
          <p className="muted">Choose the event you are at.</p>
        </header>
        {events.length === 0 && <p className="muted">Loading events…</p>}
        <ul className="capture-events" style={{ listStyle: "none", padding: 0 }}>
          {events.map((e) => (
            <li key={e.id} style={{ marginBottom: "0.5rem" }}>
              <button
                type="button"
                className="button button-block"
                onClick={() => navigate(`/leads/capture?event=${e.id}`)}
              >
                {e.name}
              </button>
            </li>
          ))}
        </ul>
      </section>
    );
  }

  const set = <K extends keyof LeadFields>(k: K, v: LeadFields[K]) =>
    setFields({ ...(fields ?? emptyFields()), [k]: v });
  const text = (k: "problem" | "useCase" | "budget" | "timeline" | "nextStep", title: string) => (
    <div className="field">
      <label htmlFor={`f-${k}`}>{title}</label>
      <input
        id={`f-${k}`}
        value={fields?.[k] ?? ""}
        onChange={(e) => set(k, e.target.value.trim() ? e.target.value : null)}
      />
    </div>
  );

  return (
    <section aria-labelledby="page-title" className="capture" style={{ maxWidth: "32rem" }}>
      <header className="page-header">
        <div>
          <h1 id="page-title">Capture at {event.name}</h1>
          <p className="muted small">
            {online ? "Online" : "Offline: captures are kept on this phone"} ·{" "}
            <Link to="/leads/capture">change event</Link> · <Link to={`/leads?event=${event.id}`}>leads</Link>
          </p>
        </div>
      </header>

      {message && (
        <div
          className={`alert ${message.kind === "error" ? "alert-error" : "alert-success"}`}
          role="status"
          aria-live="polite"
        >
          <p>{message.text}</p>
        </div>
      )}

      <form onSubmit={(e) => void save(e)} aria-label="Capture">
        <fieldset className="panel" style={{ border: "none" }}>
          <legend className="visually-hidden">Who</legend>
          <div
            role="tablist"
            aria-label="How to find the person"
            style={{ display: "flex", gap: "0.4rem", marginBottom: "0.8rem" }}
          >
            {(["badge", "search", "new"] as const).map((w) => (
              <button
                key={w}
                type="button"
                role="tab"
                aria-selected={who === w}
                className={`button ${who === w ? "button-primary" : "button-quiet"}`}
                onClick={() => setWho(w)}
              >
                {w === "badge" ? "Scan badge" : w === "search" ? "Search" : "New person"}
              </button>
            ))}
          </div>
          {who === "badge" && (
            <div className="field">
              <label htmlFor="badge">Badge code</label>
              <input
                id="badge"
                autoComplete="off"
                value={badge}
                onChange={(e) => setBadge(e.target.value)}
                placeholder="scan the badge QR (or type the ticket id)"
              />
              {qrDetector() ? (
                <button type="button" className="button" onClick={() => setCamera((c) => !c)}>
                  {camera ? "Stop camera" : "Scan with camera"}
                </button>
              ) : null}
              {camera ? (
                <video ref={video} muted playsInline style={{ width: "100%", maxWidth: 420 }} />
              ) : null}
              {cameraError ? <p role="alert">{cameraError}</p> : null}
            </div>
          )}
          {who === "search" && (
            <div className="field">
              <label htmlFor="search">Name, email or company</label>
              <input
                id="search"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                autoComplete="off"
              />
              <ul style={{ listStyle: "none", padding: 0 }} aria-label="People found">
                {hits.map((h) => (
                  <li key={h.id}>
                    <button
                      type="button"
                      className={`button button-block ${picked?.id === h.id ? "button-primary" : "button-quiet"}`}
                      aria-pressed={picked?.id === h.id}
                      onClick={() => setPicked(h)}
                    >
                      {h.name}
                      {h.company ? ` · ${h.company}` : ""}
                      {h.registered ? "" : " (not registered)"}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {(who === "new" || who === "badge") && (
            <details open={who === "new"}>
              <summary className="small muted">
                {who === "badge" ? "If the badge is unknown: who is it?" : "The person"}
              </summary>
              {(["firstName", "lastName", "email", "company", "title"] as const).map((k) => (
                <div className="field" key={k}>
                  <label htmlFor={`p-${k}`}>
                    {k === "firstName"
                      ? "First name"
                      : k === "lastName"
                        ? "Last name"
                        : k[0]!.toUpperCase() + k.slice(1)}
                  </label>
                  <input
                    id={`p-${k}`}
                    type={k === "email" ? "email" : "text"}
                    value={person[k]}
                    onChange={(e) => setPerson({ ...person, [k]: e.target.value })}
                  />
                </div>
              ))}
            </details>
          )}
        </fieldset>

        <div className="field">
          <label htmlFor="note">What did they say?</label>
          <textarea
            id="note"
            rows={6}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="Problem, use case, urgency, stage, budget, timeline, who else is involved, next step and date"
            style={{ font: "inherit", padding: "0.5rem" }}
          />
        </div>
        <button type="button" className="button" onClick={() => void suggest()} disabled={note.trim() === ""}>
          Suggest fields from the note
        </button>

        {fields && (
          <fieldset className="panel" style={{ marginTop: "1rem" }} aria-label="Fields to confirm">
            <legend>
              Confirm the fields {extractor && <span className="muted small">({extractor})</span>}
            </legend>
            {text("problem", "Problem")}
            {text("useCase", "Use case")}
            <div className="field">
              <label htmlFor="f-urgency">Urgency</label>
              <select
                id="f-urgency"
                value={fields.urgency ?? ""}
                onChange={(e) => set("urgency", (e.target.value || null) as LeadFields["urgency"])}
              >
                <option value="">unknown</option>
                {urgencies.map((u) => (
                  <option key={u} value={u}>
                    {label(u)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-stage">Buying stage</label>
              <select
                id="f-stage"
                value={fields.buyingStage ?? ""}
                onChange={(e) => set("buyingStage", (e.target.value || null) as LeadFields["buyingStage"])}
              >
                <option value="">unknown</option>
                {buyingStages.map((s) => (
                  <option key={s} value={s}>
                    {label(s)}
                  </option>
                ))}
              </select>
            </div>
            {text("budget", "Budget")}
            {text("timeline", "Timeline")}
            {text("nextStep", "Next step")}
            <div className="field">
              <label htmlFor="f-date">Next step date</label>
              <input
                id="f-date"
                type="date"
                value={fields.nextStepDate ?? ""}
                onChange={(e) => set("nextStepDate", e.target.value || null)}
              />
            </div>
            <div className="field">
              <span>Stakeholders</span>
              {fields.stakeholders.map((s, i) => (
                <div
                  // biome-ignore lint/suspicious/noArrayIndexKey: controlled rows edited in place; a name key would remount on each keystroke
                  key={i}
                  style={{ display: "flex", gap: "0.4rem", marginBottom: "0.3rem" }}
                >
                  <input
                    aria-label={`Stakeholder ${i + 1} name`}
                    value={s.name}
                    onChange={(e) =>
                      set(
                        "stakeholders",
                        fields.stakeholders.map((x, k) => (k === i ? { ...x, name: e.target.value } : x)),
                      )
                    }
                  />
                  <select
                    aria-label={`Stakeholder ${i + 1} role`}
                    value={s.role}
                    onChange={(e) =>
                      set(
                        "stakeholders",
                        fields.stakeholders.map((x, k) =>
                          k === i ? { ...x, role: e.target.value as BuyingRole } : x,
                        ),
                      )
                    }
                  >
                    {buyingRoles.map((r) => (
                      <option key={r} value={r}>
                        {label(r)}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={`Remove ${s.name}`}
                    onClick={() =>
                      set(
                        "stakeholders",
                        fields.stakeholders.filter((_, k) => k !== i),
                      )
                    }
                  >
                    ×
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button button-quiet"
                onClick={() => set("stakeholders", [...fields.stakeholders, { name: "", role: "other" }])}
              >
                Add stakeholder
              </button>
            </div>
          </fieldset>
        )}

        <button
          type="submit"
          className="button button-primary button-block"
          disabled={!ready}
          style={{ marginTop: "1rem" }}
        >
          Save capture
        </button>
      </form>

      {queue.length > 0 && (
        <section className="panel" aria-labelledby="queue-title" style={{ marginTop: "1.5rem" }}>
          <h2 id="queue-title">Waiting on this phone ({queue.length})</h2>
          <ul style={{ paddingLeft: "1rem" }}>
            {queue.map((q) => (
              <li key={q.nonce}>
                {q.label} <span className="muted small">{new Date(q.queuedAt).toLocaleTimeString()}</span>
                {q.error && (
                  <>
                    {" "}
                    <span className="small" role="alert">
                      refused: {q.error}
                    </span>{" "}
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={async () => {
                        const { error: _e, ...rest } = q;
                        await putCapture(rest);
                        await flushCaptures();
                        await refreshQueue();
                      }}
                    >
                      Retry
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button"
            onClick={async () => {
              try {
                await flushCaptures();
              } catch (error) {
                setMessage({
                  kind: "error",
                  text: error instanceof ApiError ? error.message : "could not send",
                });
              }
              await refreshQueue();
            }}
          >
            Send now
          </button>
        </section>
      )}
    </section>
  );
}
