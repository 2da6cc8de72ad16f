import { useCallback, useEffect, useState } from "react";
import {
  type AttemptView,
  type CommitmentView,
  type DrillView,
  LearnerError,
  learnerCall,
  linkKind,
  type SubmitResult,
} from "./learner-api.ts";
import "./learning.css";

const phaseTitle = (a: AttemptView) =>
  a.phase === "pre"
    ? "Before the activity"
    : a.phase === "post"
      ? "After the activity"
      : `${a.delayDays}-day follow-up check`;

/** The public learner pages at /learn/<token>: an assessment, commitments, a follow-up or a drill. */
export function LearnerApp() {
  const token = decodeURIComponent(window.location.pathname.replace(/^\/learn\//, "").replace(/\/$/, ""));
  const kind = linkKind(token);
  return (
    <main className="learner">
      <p className="brand learner-brand">Throughline</p>
      {kind === "attempt" ? (
        <AttemptPage token={token} />
      ) : kind === "commitments" ? (
        <CommitmentsPage token={token} />
      ) : kind === "follow_up" ? (
        <FollowUpPage token={token} />
      ) : kind === "drill" ? (
        <DrillPage token={token} />
      ) : (
        <div className="learner-card" role="alert">
          <h1>This link is not valid</h1>
          <p>It may be incomplete. Open the link from your email again.</p>
        </div>
      )}
    </main>
  );
}

function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="alert alert-error" role="alert">
      {error}
    </p>
  );
}

function AttemptPage({ token }: { token: string }) {
  const [view, setView] = useState<AttemptView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, { answer: number[]; confidence: number | null }>>({});
  const [saved, setSaved] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<SubmitResult | null>(null);

  const load = useCallback(async () => {
    try {
      const v = await learnerCall<AttemptView>(token, "");
      setView(v);
      setAnswers(
        Object.fromEntries(v.answers.map((a) => [a.itemId, { answer: a.answer, confidence: a.confidence }])),
      );
      setSaved(new Set(v.answers.map((a) => a.itemId)));
    } catch (e) {
      setError(e instanceof LearnerError ? e.message : String(e));
    }
  }, [token]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async (itemId: string, next: { answer: number[]; confidence: number | null }) => {
    setAnswers((a) => ({ ...a, [itemId]: next }));
    if (next.answer.length === 0 || next.confidence === null) return;
    try {
      await learnerCall(token, "/answers", "PUT", {
        answers: [{ itemId, answer: next.answer, confidence: next.confidence }],
      });
      setSaved((s) => new Set(s).add(itemId));
      setError(null);
    } catch (e) {
      setError(e instanceof LearnerError ? e.message : String(e));
    }
  };

  const submit = async () => {
    try {
      setDone(await learnerCall<SubmitResult>(token, "/submit", "POST"));
      setError(null);
    } catch (e) {
      setError(e instanceof LearnerError ? e.message : String(e));
    }
  };

  if (!view) {
    return (
      <div className="learner-card">
        <ErrorNote error={error} />
        {!error && <p aria-live="polite">Loading…</p>}
      </div>
    );
  }
  const open = view.status === "open" && !done;
  return (
    <div className="learner-card">
      <header>
        <p className="muted small">{phaseTitle(view)}</p>
        <h1>{view.title}</h1>
        {view.message && !done && <p className="learner-status">{view.message}</p>}
        {open && (
          <p className="muted small" aria-live="polite">
            {saved.size} of {view.items.length} answered · saved as you go; you can leave and come back with
            the same link.
          </p>
        )}
      </header>
      <ErrorNote error={error} />
      {done ? (
        <div className="learner-done" role="status">
          <h2>Thank you, your answers are in</h2>
          <p>
            {done.answered} of {done.total} questions answered.
          </p>
          {done.commitmentsUrl && (
            <p>
              <a className="button button-primary" href={done.commitmentsUrl}>
                Commit to a change in your practice
              </a>
            </p>
          )}
          {done.drillUrl && (
            <p>
              <a href={done.drillUrl}>Practise later with short drills</a> (they never count toward your
              results)
            </p>
          )}
        </div>
      ) : (
        open && (
          <ol className="learner-items">
            {view.items.map((item, n) => {
              const a = answers[item.id] ?? { answer: [], confidence: null };
              return (
                <li key={item.id} className="learner-item">
                  <fieldset>
                    <legend>
                      <span className="muted small">Question {n + 1}</span>
                      <span className="learner-prompt">{item.prompt}</span>
                    </legend>
                    {item.options.map((option, i) => (
                      <label key={option} className="learner-option">
                        <input
                          type={item.multiple ? "checkbox" : "radio"}
                          name={`item-${item.id}`}
                          checked={a.answer.includes(i)}
                          onChange={(e) => {
                            const answer = item.multiple
                              ? e.target.checked
                                ? [...a.answer, i].sort()
                                : a.answer.filter((x) => x !== i)
                              : [i];
                            void save(item.id, { ...a, answer });
                          }}
                        />
                        <span>{option}</span>
                      </label>
                    ))}
                  </fieldset>
                  <fieldset className="learner-confidence">
                    <legend className="small">How sure are you?</legend>
                    <div className="learner-steps">
                      {view.confidenceScale.map((s) => (
                        <label key={s.step} className={a.confidence === s.step ? "step step-on" : "step"}>
                          <input
                            type="radio"
                            name={`confidence-${item.id}`}
                            checked={a.confidence === s.step}
                            onChange={() => void save(item.id, { ...a, confidence: s.step })}
                          />
                          <span>{s.label}</span>
                          <span className="muted small">{Math.round(s.probability * 100)}%</span>
                        </label>
                      ))}
                    </div>
                  </fieldset>
                  {saved.has(item.id) && <p className="muted small learner-saved">Saved</p>}
                </li>
              );
            })}
          </ol>
        )
      )}
      {open && (
        <button type="button" className="button button-primary button-block" onClick={() => void submit()}>
          Submit answers
        </button>
      )}
    </div>
  );
}

/** The up to three statement boxes, keyed by slot (their order never changes). */
const SLOTS = ["first", "second", "third"] as const;

function CommitmentsPage({ token }: { token: string }) {
  const [list, setList] = useState<CommitmentView[] | null>(null);
  const [text, setText] = useState(["", "", ""]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    learnerCall<{ commitments: CommitmentView[] }>(token, "/commitments")
      .then((r) => setList(r.commitments))
      .catch((e) => setError(e instanceof LearnerError ? e.message : String(e)));
  }, [token]);
  const free = 3 - (list?.length ?? 0);
  const send = async () => {
    const statements = text.map((t) => t.trim()).filter((t) => t.length >= 3);
    if (statements.length === 0) return;
    try {
      const r = await learnerCall<{ commitments: CommitmentView[] }>(token, "/commitments", "POST", {
        statements,
      });
      setList(r.commitments);
      setText(["", "", ""]);
      setError(null);
    } catch (e) {
      setError(e instanceof LearnerError ? e.message : String(e));
    }
  };
  return (
    <div className="learner-card">
      <h1>Commit to a change</h1>
      <p className="muted">Up to three things you will do differently. We will ask later how it went.</p>
      <ErrorNote error={error} />
      {list && list.length > 0 && (
        <ul className="learner-commitments">
          {list.map((c) => (
            <li key={c.id}>
              {c.statement}
              {c.followUpDueAt && (
                <span className="muted small"> · follow-up {c.followUpDueAt.slice(0, 10)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {list &&
        free > 0 &&
        SLOTS.slice(0, free).map((slot, i) => (
          <label key={slot} className="field">
            <span>Commitment {list.length + i + 1}</span>
            <textarea
              value={text[i]}
              rows={2}
              onChange={(e) => setText((x) => x.map((y, j) => (j === i ? e.target.value : y)))}
            />
          </label>
        ))}
      {list && free > 0 && (
        <button type="button" className="button button-primary button-block" onClick={() => void send()}>
          Save commitments
        </button>
      )}
    </div>
  );
}

function FollowUpPage({ token }: { token: string }) {
  const [list, setList] = useState<CommitmentView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    learnerCall<{ commitments: CommitmentView[] }>(token, "/follow-up")
      .then((r) => setList(r.commitments))
      .catch((e) => setError(e instanceof LearnerError ? e.message : String(e)));
  }, [token]);
  const answer = async (c: CommitmentView, status: "fully" | "partly" | "not", barriers: string) => {
    try {
      const r = await learnerCall<{ commitments: CommitmentView[] }>(token, `/follow-up/${c.id}`, "PUT", {
        status,
        barriers: barriers
          .split(",")
          .map((b) => b.trim())
          .filter(Boolean),
      });
      setList(r.commitments);
      setError(null);
    } catch (e) {
      setError(e instanceof LearnerError ? e.message : String(e));
    }
  };
  return (
    <div className="learner-card">
      <h1>Did your commitments happen?</h1>
      <ErrorNote error={error} />
      {list?.map((c) => (
        <FollowUpItem key={c.id} c={c} onAnswer={answer} />
      ))}
    </div>
  );
}

function FollowUpItem({
  c,
  onAnswer,
}: {
  c: CommitmentView;
  onAnswer: (c: CommitmentView, s: "fully" | "partly" | "not", barriers: string) => Promise<void>;
}) {
  const [barriers, setBarriers] = useState(c.barriers.join(", "));
  return (
    <fieldset className="learner-item">
      <legend className="learner-prompt">{c.statement}</legend>
      <label className="field">
        <span>What got in the way? (comma separated)</span>
        <input value={barriers} onChange={(e) => setBarriers(e.target.value)} />
      </label>
      <div className="learner-steps">
        {(["fully", "partly", "not"] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={c.status === s ? "button button-primary" : "button"}
            onClick={() => void onAnswer(c, s, barriers)}
          >
            {s === "not" ? "Not implemented" : `Implemented ${s}`}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

function DrillPage({ token }: { token: string }) {
  const [view, setView] = useState<DrillView | null>(null);
  const [result, setResult] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    learnerCall<DrillView>(token, "/drill")
      .then(setView)
      .catch((e) => setError(e instanceof LearnerError ? e.message : String(e)));
  }, [token]);
  const answer = async (cardId: string, itemId: string, option: number) => {
    try {
      const r = await learnerCall<{ correct: boolean; nextDueAt: string }>(token, "/drill", "POST", {
        cardId,
        itemId,
        answer: [option],
        confidence: 3,
      });
      setResult((x) => ({
        ...x,
        [cardId]: `${r.correct ? "Right" : "Not quite"}; next practice ${r.nextDueAt.slice(0, 10)}`,
      }));
    } catch (e) {
      setError(e instanceof LearnerError ? e.message : String(e));
    }
  };
  return (
    <div className="learner-card">
      <h1>Practice</h1>
      {view && <p className="muted small">{view.note}</p>}
      <ErrorNote error={error} />
      {view && view.due.length === 0 && (
        <p>Nothing due now{view.nextDueAt ? `; next on ${view.nextDueAt.slice(0, 10)}` : ""}.</p>
      )}
      {view?.due.map((d) => (
        <fieldset key={d.cardId} className="learner-item">
          <legend className="learner-prompt">{d.item.prompt}</legend>
          {result[d.cardId] ? (
            <p role="status">{result[d.cardId]}</p>
          ) : (
            d.item.options.map((o, i) => (
              <button
                key={o}
                type="button"
                className="button learner-option"
                onClick={() => void answer(d.cardId, d.item.id, i)}
              >
                {o}
              </button>
            ))
          )}
        </fieldset>
      ))}
    </div>
  );
}
