import { type FormEvent, useEffect, useState } from "react";
import { api } from "../api/client.ts";
import type { TabProps } from "./event-page.tsx";
import type { Indicators, Poll, Question, Ratio } from "./event-types.ts";
import { Field, FormAlert, type FormError, toFormError } from "./form-errors.tsx";
import { formatCount } from "./format.ts";
import { Notice, type NoticeState } from "./notice.tsx";
import { useResource } from "./use-resource.ts";

const pollStatusLabels: Record<Poll["status"], string> = { draft: "Draft", open: "Open", closed: "Closed" };

function share(r: Ratio): string {
  if (r.value === null) return "—";
  return `${Math.round(r.value * 100)}% (${formatCount(r.numerator)} of ${formatCount(r.denominator)})`;
}

/**
 * Live engagement: polls (hosts open and close them), questions by upvotes (hosts mark them answered) and the
 * feedback attendees gave. These are indicators of attention, not outcomes.
 */
export function EngagementTab({ event, can }: TabProps) {
  const engagement = useResource<{ polls: Poll[]; questions: Question[] }>(
    `/api/events/${event.id}/engagement`,
  );
  const indicators = useResource<Indicators>(`/api/events/${event.id}/indicators`);
  const [notice, setNotice] = useState<NoticeState>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const sessionTitle = (id: string | null) => event.sessions.find((s) => s.id === id)?.title;
  const { reload } = engagement;

  // During a session answers and upvotes keep arriving: ask again every 15 s while the page is in view.
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") void reload();
    }, 15_000);
    return () => window.clearInterval(timer);
  }, [reload]);

  async function act(key: string, run: () => Promise<unknown>, done: string) {
    setBusy(key);
    try {
      await run();
      await engagement.reload();
      setNotice({ ok: true, text: done });
    } catch (error) {
      setNotice({ ok: false, text: toFormError(error).message });
    } finally {
      setBusy(null);
    }
  }

  const data = engagement.resource.status === "ready" ? engagement.resource.data : null;

  return (
    <>
      <section className="panel" aria-labelledby="polls-title">
        <div className="section-header">
          <h2 id="polls-title">Polls</h2>
          <button type="button" className="button" onClick={() => void engagement.reload()}>
            Refresh results
          </button>
        </div>
        <Notice notice={notice} />
        {engagement.resource.status === "loading" && <p className="muted">Loading…</p>}
        {engagement.resource.status === "error" && (
          <p className="alert alert-error" role="alert">
            Could not load polls and questions: {engagement.resource.message}
          </p>
        )}
        {data && data.polls.length === 0 && <p className="muted">No polls yet.</p>}
        {data && data.polls.length > 0 && (
          <ul className="poll-list">
            {data.polls.map((p) => (
              <li key={p.id} className="poll">
                <div className="section-header">
                  <h3>
                    {p.question} <span className={`pill pill-${p.status}`}>{pollStatusLabels[p.status]}</span>
                  </h3>
                  {can.host && p.status !== "open" && (
                    <button
                      type="button"
                      className="button"
                      aria-label={`Open poll ${p.question}`}
                      disabled={busy !== null}
                      onClick={() =>
                        void act(
                          p.id,
                          () => api.post(`/api/events/${event.id}/polls/${p.id}/open`),
                          "Poll open: attendees see it now.",
                        )
                      }
                    >
                      {p.status === "closed" ? "Reopen" : "Open"}
                    </button>
                  )}
                  {can.host && p.status === "open" && (
                    <button
                      type="button"
                      className="button"
                      aria-label={`Close poll ${p.question}`}
                      disabled={busy !== null}
                      onClick={() =>
                        void act(
                          p.id,
                          () => api.post(`/api/events/${event.id}/polls/${p.id}/close`),
                          "Poll closed.",
                        )
                      }
                    >
                      Close
                    </button>
                  )}
                </div>
                <p className="muted small">
                  {sessionTitle(p.sessionId) ?? "Whole event"} · {formatCount(p.respondents)}{" "}
                  {p.respondents === 1 ? "answer" : "answers"}
                </p>
                <dl className="bars">
                  {p.options.map((option, i) => {
                    const n = p.counts[i] ?? 0;
                    const pct = p.respondents > 0 ? Math.round((n / p.respondents) * 100) : 0;
                    return (
                      <div key={option} className="bar-row">
                        <dt>{option}</dt>
                        <dd>
                          <span className="bar" style={{ width: `${pct}%` }} />
                          <span className="bar-value">
                            {formatCount(n)} ({pct}%)
                          </span>
                        </dd>
                      </div>
                    );
                  })}
                </dl>
              </li>
            ))}
          </ul>
        )}
        {can.host && (
          <div className="subpanel">
            <h3>New poll</h3>
            <PollForm
              sessions={event.sessions.map((s) => ({ id: s.id, title: s.title }))}
              onSubmit={async (body) => {
                await api.post(`/api/events/${event.id}/polls`, body);
                await engagement.reload();
                setNotice({ ok: true, text: "Poll created as a draft; open it when the room is ready." });
              }}
            />
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="questions-title">
        <h2 id="questions-title">Questions</h2>
        <p className="muted small">Most upvoted first.</p>
        {data && data.questions.length === 0 && <p className="muted">No questions asked yet.</p>}
        {data && data.questions.length > 0 && (
          <ul className="question-list">
            {data.questions.map((q) => (
              <li key={q.id} className={q.answered ? "answered" : undefined}>
                <span className="votes" title="Upvotes">
                  ▲ {formatCount(q.votes)}
                </span>
                <span className="question-text">
                  {q.text}
                  {sessionTitle(q.sessionId) && <span className="sub">{sessionTitle(q.sessionId)}</span>}
                </span>
                {q.answered ? (
                  <span className="pill pill-sent">Answered</span>
                ) : (
                  can.host && (
                    <button
                      type="button"
                      className="button"
                      aria-label={`Mark answered: ${q.text}`}
                      disabled={busy !== null}
                      onClick={() =>
                        void act(
                          q.id,
                          () => api.post(`/api/events/${event.id}/questions/${q.id}/answered`),
                          "Marked answered.",
                        )
                      }
                    >
                      Mark answered
                    </button>
                  )
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="feedback-title">
        <h2 id="feedback-title">Feedback</h2>
        <p className="muted small">Indicators: satisfaction and participation, not learning or change.</p>
        {indicators.resource.status === "error" && (
          <p className="alert alert-error" role="alert">
            Could not load feedback: {indicators.resource.message}
          </p>
        )}
        {indicators.resource.status === "ready" && <FeedbackSummary indicators={indicators.resource.data} />}
      </section>
    </>
  );
}

function FeedbackSummary({ indicators }: { indicators: Indicators }) {
  const s = indicators.satisfaction;
  return (
    <>
      <dl className="stats">
        <div>
          <dt>Ratings</dt>
          <dd>{formatCount(s.responses)}</dd>
        </div>
        <div>
          <dt>Mean rating</dt>
          <dd>{s.mean === null ? "—" : `${s.mean.toFixed(1)} of 5`}</dd>
        </div>
        <div>
          <dt>Rated 4 or 5</dt>
          <dd>{share(s.topTwoBox)}</dd>
        </div>
        <div>
          <dt>Answered a poll</dt>
          <dd>{share(indicators.pollParticipation)}</dd>
        </div>
      </dl>
      {s.responses > 0 && (
        <p className="muted small">
          Ratings 1 to 5: {s.distribution.map((n, i) => `${i + 1}: ${formatCount(n)}`).join(" · ")}
        </p>
      )}
      {indicators.sessions.some((x) => x.satisfaction.responses > 0) && (
        <table className="data-table">
          <caption className="visually-hidden">Feedback per session</caption>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col" className="num">
                Ratings
              </th>
              <th scope="col" className="num">
                Mean
              </th>
            </tr>
          </thead>
          <tbody>
            {indicators.sessions.map((x) => (
              <tr key={x.sessionId}>
                <th scope="row" data-label="Session">
                  {x.title}
                </th>
                <td data-label="Ratings" className="num">
                  {formatCount(x.satisfaction.responses)}
                </td>
                <td data-label="Mean" className="num">
                  {x.satisfaction.mean === null ? "—" : x.satisfaction.mean.toFixed(1)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface PollBody {
  question: string;
  options: string[];
  sessionId: string | null;
}

function PollForm({
  sessions,
  onSubmit,
}: {
  sessions: { id: string; title: string }[];
  onSubmit(body: PollBody): Promise<void>;
}) {
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState("");
  const [sessionId, setSessionId] = useState("");
  const [error, setError] = useState<FormError | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const list = options
      .split("\n")
      .map((x) => x.trim())
      .filter(Boolean);
    setSaving(true);
    setError(null);
    try {
      await onSubmit({ question: question.trim(), options: list, sessionId: sessionId || null });
      setQuestion("");
      setOptions("");
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="New poll">
      <fieldset disabled={saving} className="plain-fieldset">
        <div className="form-grid">
          <Field label="Question" name="question" error={error} className="span-2">
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={500}
                value={question}
                onChange={(e) => setQuestion(e.target.value)}
              />
            )}
          </Field>
          <Field label="Options" name="options" error={error} hint="One per line, 2 to 12.">
            {(p) => <textarea {...p} rows={4} value={options} onChange={(e) => setOptions(e.target.value)} />}
          </Field>
          <Field label="Session" name="sessionId" error={error}>
            {(p) => (
              <select {...p} value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
                <option value="">Whole event</option>
                {sessions.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>
      <FormAlert error={error} fields={["question", "options", "sessionId"]} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Creating…" : "Create poll"}
        </button>
      </div>
    </form>
  );
}
