// The learner's side of the API: public routes under /api/learn/<token>, no session, the token is the credential.

export interface ConfidenceStep {
  step: 1 | 2 | 3 | 4;
  label: string;
  probability: number;
}

export interface AttemptView {
  kind: "attempt";
  title: string;
  phase: "pre" | "post" | "delayed";
  delayDays: number | null;
  status: "open" | "not_yet_open" | "closed" | "submitted";
  message: string | null;
  opensAt: string;
  closesAt: string;
  items: {
    id: string;
    position: number;
    kind: string;
    prompt: string;
    options: string[];
    multiple: boolean;
  }[];
  answers: { itemId: string; answer: number[]; confidence: number }[];
  confidenceScale: ConfidenceStep[];
}

export interface SubmitResult {
  submitted: boolean;
  submittedAt: string;
  answered: number;
  total: number;
  drillUrl: string | null;
  commitmentsUrl: string | null;
}

export interface CommitmentView {
  id: string;
  statement: string;
  followUpDueAt: string | null;
  status: "fully" | "partly" | "not" | "no_response";
  barriers: string[];
}

export interface DrillView {
  kind: "drill";
  note: string;
  due: {
    cardId: string;
    objective: string;
    item: { id: string; kind: string; prompt: string; options: string[] };
  }[];
  nextDueAt: string | null;
}

export class LearnerError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** One call to a learner route; error bodies become LearnerErrors with the server's message. */
export async function learnerCall<T>(
  token: string,
  path: string,
  method = "GET",
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/learn/${encodeURIComponent(token)}${path}`, {
      method,
      headers: body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new LearnerError("cannot reach the server; check your connection and try again", 0);
  }
  const data = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (!res.ok)
    throw new LearnerError(data?.error?.message ?? `the server answered ${res.status}`, res.status);
  return data as T;
}

/** What a link opens, read from the token's payload (the server checks the signature; this only picks the page). */
export function linkKind(token: string): string | null {
  try {
    const body = token.split(".")[0] ?? "";
    const json = atob(body.replace(/-/g, "+").replace(/_/g, "/"));
    return (JSON.parse(json) as { k?: string }).k ?? null;
  } catch {
    return null;
  }
}
