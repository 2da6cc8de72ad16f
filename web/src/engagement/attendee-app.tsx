import { type FormEvent, useCallback, useEffect, useState } from "react";
import { call } from "../registration/public-api.ts";

interface Poll {
  id: string;
  question: string;
  options: string[];
  status: "open" | "closed";
  counts: number[];
  myAnswer: number | null;
}
interface Question {
  id: string;
  text: string;
  votes: number;
  mine: boolean;
  answered: boolean;
}
interface Live {
  event: { name: string };
  me: { name: string };
  polls: Poll[];
  questions: Question[];
  sessions: { id: string; title: string }[];
}

/**
 * The attendee page at /e/<org>/<event>?t=<ticket code> (the link in the ticket email): live polls, Q&A with
 * upvotes, and session feedback. The ticket code says who is answering; no account is needed.
 */
export function AttendeeApp() {
  const [, , org = "", event = ""] = window.location.pathname.split("/");
  const ticket = new URLSearchParams(window.location.search).get("t") ?? "";
  const base = `/api/public/orgs/${encodeURIComponent(org)}/events/${encodeURIComponent(event)}`;
  const headers = { "X-Ticket": ticket };
  const [live, setLive] = useState<Live | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [question, setQuestion] = useState("");
  const [rating, setRating] = useState<{ sessionId: string; rating: number; comment: string }>({
    sessionId: "",
    rating: 5,
    comment: "",
  });

  const load = useCallback(
    () =>
      call<Live>(`${base}/live`, { headers: { "X-Ticket": ticket } })
        .then(setLive)
        .catch((e: Error) => setMessage(e.message)),
    [base, ticket],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 10_000);
    return () => clearInterval(timer);
  }, [load]);

  async function act(path: string, body: unknown, done: string) {
    try {
      await call(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      setMessage(done);
    } catch (e) {
      setMessage((e as Error).message);
    }
    await load();
  }

  if (!live) return <p className="boot">{message ?? "Loading…"}</p>;
  return (
    <main className="content">
      <h1>{live.event.name}</h1>
      <p className="muted">Signed in with your ticket as {live.me.name}</p>
      {message ? (
        <p role="status" className="alert">
          {message}
        </p>
      ) : null}
      <section className="panel">
        <h2>Polls</h2>
        {live.polls.length === 0 ? <p className="muted">No polls yet.</p> : null}
        {live.polls.map((p) => (
          <fieldset key={p.id}>
            <legend>{p.question}</legend>
            {p.options.map((o, i) => (
              <button
                key={o}
                type="button"
                className={`button ${p.myAnswer === i ? "button-primary" : ""}`}
                disabled={p.status !== "open" || p.myAnswer !== null}
                onClick={() =>
                  void act(`/polls/${p.id}/answers`, { optionIndex: i }, "Thank you for answering.")
                }
              >
                {o} ({p.counts[i]})
              </button>
            ))}
          </fieldset>
        ))}
      </section>
      <section className="panel">
        <h2>Questions</h2>
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void act("/questions", { text: question }, "Your question is in.");
            setQuestion("");
          }}
        >
          <div className="field">
            <label htmlFor="ask">Ask a question</label>
            <input id="ask" value={question} onChange={(e) => setQuestion(e.target.value)} />
          </div>
          <button className="button button-primary" type="submit">
            Ask
          </button>
        </form>
        <ul>
          {live.questions.map((q) => (
            <li key={q.id}>
              {q.text}{" "}
              <button
                type="button"
                className="button"
                disabled={q.mine}
                aria-label={`Upvote: ${q.text}`}
                onClick={() => void act(`/questions/${q.id}/votes`, {}, "Upvoted.")}
              >
                ▲ {q.votes}
              </button>
              {q.answered ? <span className="muted"> answered</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel">
        <h2>Feedback</h2>
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void act(
              "/feedback",
              { sessionId: rating.sessionId || null, rating: rating.rating, comment: rating.comment || null },
              "Thank you for your feedback.",
            );
          }}
        >
          <div className="field">
            <label htmlFor="fb-session">Session</label>
            <select
              id="fb-session"
              value={rating.sessionId}
              onChange={(e) => setRating({ ...rating, sessionId: e.target.value })}
            >
              <option value="">The whole event</option>
              {live.sessions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="fb-rating">Rating (1–5)</label>
            <select
              id="fb-rating"
              value={rating.rating}
              onChange={(e) => setRating({ ...rating, rating: Number(e.target.value) })}
            >
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="fb-comment">Comment</label>
            <input
              id="fb-comment"
              value={rating.comment}
              onChange={(e) => setRating({ ...rating, comment: e.target.value })}
            />
          </div>
          <button className="button button-primary" type="submit">
            Send feedback
          </button>
        </form>
      </section>
    </main>
  );
}
