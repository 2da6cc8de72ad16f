import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { call, PublicApiError } from "../registration/public-api.ts";
import { qrDetector, useQrCamera } from "../scan/use-qr-camera.ts";
import { putScan, type QueuedScan, queuedScans, removeScan } from "./scan-queue.ts";
import { verifyOffline } from "./verify-offline.ts";

interface Bundle {
  event: { id: string; name: string; timeZone: string };
  publicKey: string;
  revocations: { ticketIds: string[] };
  sessions: { id: string; title: string; room: string | null }[];
  roster: { personId: string; name: string; email: string | null; ticketId: string | null }[];
}
interface ScanResult {
  nonce: string;
  outcome: "checked_in" | "checked_out" | "already_checked_in" | "not_checked_in" | "rejected";
  reason: string | null;
  message: string;
}
type Notice = { tone: "ok" | "warn" | "error"; text: string };

const tokenKey = (eventId: string) => `tl-kiosk-token:${eventId}`;
const bundleKey = (eventId: string) => `tl-kiosk-bundle:${eventId}`;

function clock(at: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
}

/** Gets a kiosk credential for the event with the signed-in staff session (once; it is kept on this device). */
async function kioskToken(eventId: string): Promise<string> {
  const stored = localStorage.getItem(tokenKey(eventId));
  if (stored) return stored;
  const me = await call<{ csrfToken: string | null }>("/api/auth/me");
  const { token } = await call<{ token: string }>(`/api/events/${eventId}/kiosk-token`, {
    method: "POST",
    headers: me.csrfToken ? { "X-CSRF-Token": me.csrfToken } : {},
  });
  localStorage.setItem(tokenKey(eventId), token);
  return token;
}

/**
 * The check-in kiosk at /kiosk/<eventId>: camera scan (BarcodeDetector where the browser has it), keyboard-wedge
 * scanners (they type the code and Enter into the focused field), and search by name; door or session, entry or
 * exit. Codes are verified on the device with the event's public key and revocation list, every scan is queued in
 * IndexedDB with its nonce, and the queue is sent whenever the network is there.
 */
export function KioskApp() {
  const eventId = window.location.pathname.split("/")[2] ?? "";
  const [token, setToken] = useState<string | null>(null);
  const [bundle, setBundle] = useState<Bundle | null>(() => {
    const raw = localStorage.getItem(bundleKey(eventId));
    return raw ? (JSON.parse(raw) as Bundle) : null;
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [waiting, setWaiting] = useState<QueuedScan[]>([]);
  const [where, setWhere] = useState<string>("");
  const [direction, setDirection] = useState<"entry" | "exit">("entry");
  const [code, setCode] = useState("");
  const [query, setQuery] = useState("");
  const [camera, setCamera] = useState(false);
  const seenHere = useRef(new Map<string, Date>());
  const sending = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  const video = useRef<HTMLVideoElement>(null);

  const auth = useMemo(() => (token ? { Authorization: `Kiosk ${token}` } : undefined), [token]);

  const refreshQueue = useCallback(async () => setWaiting(await queuedScans(eventId)), [eventId]);

  const flush = useCallback(async () => {
    if (!auth || sending.current) return;
    sending.current = true;
    try {
      const queue = await queuedScans(eventId);
      if (queue.length === 0) return;
      const { results } = await call<{ results: ScanResult[] }>(`/api/events/${eventId}/check-ins`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ scans: queue.map((q) => q.scan) }),
      });
      for (const q of queue) await removeScan(q.nonce);
      const last = results[results.length - 1];
      if (last) {
        const tone =
          last.outcome === "rejected" ? "error" : last.outcome === "already_checked_in" ? "warn" : "ok";
        const prefix = queue.length > 1 ? `${queue.length} scans sent from the queue. Last: ` : "";
        setNotice({ tone, text: prefix + last.message });
      }
    } catch (error) {
      if (error instanceof PublicApiError && error.status !== 0) {
        setNotice({ tone: "error", text: error.message });
      }
    } finally {
      sending.current = false;
      await refreshQueue();
    }
  }, [auth, eventId, refreshQueue]);

  useEffect(() => {
    kioskToken(eventId)
      .then(setToken)
      .catch((e: Error) =>
        setProblem(
          e instanceof PublicApiError && e.status === 401
            ? "Sign in to Throughline as event staff first, then open this kiosk again."
            : e.message,
        ),
      );
  }, [eventId]);

  useEffect(() => {
    if (!auth) return;
    const sync = () =>
      call<Bundle>(`/api/events/${eventId}/kiosk`, { headers: auth })
        .then((b) => {
          localStorage.setItem(bundleKey(eventId), JSON.stringify(b));
          setBundle(b);
        })
        .catch(() => undefined);
    void sync();
    void flush();
    const online = () => {
      void sync();
      void flush();
    };
    window.addEventListener("online", online);
    const timer = setInterval(() => void flush(), 10_000);
    return () => {
      window.removeEventListener("online", online);
      clearInterval(timer);
    };
  }, [auth, eventId, flush]);

  useEffect(() => {
    void refreshQueue();
  }, [refreshQueue]);

  // Keyboard-wedge scanners type into the focused field: keep the code field focused once the kiosk is ready.
  useEffect(() => {
    if (bundle) input.current?.focus();
  }, [bundle]);

  const revoked = useMemo(() => new Set(bundle?.revocations.ticketIds ?? []), [bundle]);

  async function record(scan: Record<string, unknown>, label: string, localKey: string) {
    const now = new Date();
    const zone = bundle?.event.timeZone ?? "UTC";
    const earlier = seenHere.current.get(localKey);
    if (direction === "entry" && earlier) {
      setNotice({ tone: "warn", text: `${label} is already checked in at ${clock(earlier, zone)}` });
    } else {
      setNotice({ tone: "ok", text: `${direction === "entry" ? "Checking in" : "Checking out"} ${label}…` });
    }
    if (direction === "entry" && !earlier) seenHere.current.set(localKey, now);
    if (direction === "exit") seenHere.current.delete(localKey);
    const nonce = crypto.randomUUID();
    await putScan({
      nonce,
      eventId,
      label,
      queuedAt: now.toISOString(),
      scan: {
        nonce,
        ...scan,
        ...(where ? { sessionId: where } : {}),
        direction,
        occurredAt: now.toISOString(),
      },
    });
    await refreshQueue();
    if (!navigator.onLine) {
      setNotice((n) => ({
        tone: n?.tone ?? "ok",
        text: `${n?.text ?? ""} — saved on this kiosk (offline); it will be sent when the network returns.`,
      }));
      return;
    }
    await flush();
  }

  async function onCode(raw: string, method: "qr" | "wedge") {
    const text = raw.trim();
    if (!text || !bundle) return;
    const verdict = await verifyOffline(text, bundle.publicKey, eventId, revoked, new Date());
    if (!verdict.ok) {
      setNotice({ tone: "error", text: `Refused: ${verdict.message}` });
      return;
    }
    const person = bundle.roster.find((r) => r.personId === verdict.personId);
    await record({ ticket: text, method }, person?.name || "guest", `${verdict.ticketId}|${where}`);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = code;
    setCode("");
    await onCode(value, "wedge");
    input.current?.focus();
  }

  useQrCamera(
    camera,
    video,
    (value) => onCode(value, "qr"),
    (text) => setNotice({ tone: "error", text }),
  );

  if (problem) {
    return (
      <main className="sign-in">
        <div className="sign-in-card" role="alert">
          <h1>Check-in kiosk</h1>
          <p>{problem}</p>
          <a className="button button-primary" href="/">
            Sign in
          </a>
        </div>
      </main>
    );
  }
  if (!bundle) return <p className="boot">Setting up the kiosk…</p>;
  const matches =
    query.trim().length >= 2
      ? bundle.roster
          .filter((r) => `${r.name} ${r.email ?? ""}`.toLowerCase().includes(query.trim().toLowerCase()))
          .slice(0, 8)
      : [];
  const hasCamera = qrDetector() !== undefined;
  return (
    <main className="content kiosk">
      <h1>Check-in: {bundle.event.name}</h1>
      <div className="toolbar">
        <label className="field-inline">
          Where{" "}
          <select value={where} onChange={(e) => setWhere(e.target.value)} aria-label="Where">
            <option value="">Door</option>
            {bundle.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
                {s.room ? ` (${s.room})` : ""}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field-inline">
          <legend className="visually-hidden">Direction</legend>
          <label>
            <input type="radio" checked={direction === "entry"} onChange={() => setDirection("entry")} />{" "}
            Entry
          </label>{" "}
          <label>
            <input type="radio" checked={direction === "exit"} onChange={() => setDirection("exit")} /> Exit
          </label>
        </fieldset>
      </div>
      <form onSubmit={submit} className="panel">
        <div className="field">
          <label htmlFor="code">Scan or type a ticket code</label>
          <input
            id="code"
            ref={input}
            autoComplete="off"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary">
          Check
        </button>{" "}
        {hasCamera ? (
          <button type="button" className="button" onClick={() => setCamera((c) => !c)}>
            {camera ? "Stop camera" : "Scan with camera"}
          </button>
        ) : null}
        {camera ? <video ref={video} muted playsInline style={{ width: "100%", maxWidth: 420 }} /> : null}
      </form>
      {notice ? (
        <p
          role="status"
          className={`alert ${notice.tone === "error" ? "alert-error" : notice.tone === "ok" ? "alert-success" : ""}`}
        >
          {notice.text}
        </p>
      ) : null}
      <section className="panel">
        <div className="field">
          <label htmlFor="search">Search by name</label>
          <input id="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        </div>
        <ul>
          {matches.map((m) => (
            <li key={m.personId}>
              {m.name} <span className="muted">{m.email}</span>{" "}
              <button
                type="button"
                className="button"
                onClick={() =>
                  void record({ personId: m.personId, method: "search" }, m.name, `${m.ticketId}|${where}`)
                }
              >
                {direction === "entry" ? "Check in" : "Check out"} {m.name}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <h2>Waiting on this kiosk ({waiting.length})</h2>
      <ul>
        {waiting.map((w) => (
          <li key={w.nonce}>
            {w.label} · {clock(new Date(w.queuedAt), bundle.event.timeZone)}
          </li>
        ))}
      </ul>
    </main>
  );
}
