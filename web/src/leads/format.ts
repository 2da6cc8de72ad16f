// Words and numbers of the leads pages: vocabulary as people read it, dates in the reader's zone, shares.

/** "evaluating_vendors" -> "evaluating vendors". */
export const words = (s: string): string => s.replace(/_/g, " ");

/** 0.427 -> "43%". */
export const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** A signed difference of rates in percentage points, one decimal: 0.115 -> "+11.5 pts". */
export const points = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} pts`;

/** An instant in the reader's own zone, with the zone's short name. */
export function when(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** "in 5 h", "3 h ago", "in 2 days": how far `iso` is from `now`. */
export function relative(iso: string, now: Date): string {
  const hours = (new Date(iso).getTime() - now.getTime()) / 3_600_000;
  const size = Math.abs(hours);
  const text =
    size < 1
      ? `${Math.round(size * 60)} min`
      : size < 48
        ? `${Math.round(size)} h`
        : `${Math.round(size / 24)} days`;
  return hours >= 0 ? `in ${text}` : `${text} ago`;
}

/** Hours as a person says them: 0.5 -> "30 min", 5 -> "5 h", 60 -> "2.5 days". */
export function duration(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

/** A datetime-local value (the reader's zone) as an instant with offset, or undefined when empty. */
export function instant(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export const STEP_LABELS: Record<string, string> = {
  captured: "Captured",
  context_complete: "Context complete",
  followed_up_within_sla: "Followed up within SLA",
  followed_up_with_context: "Followed up with context",
  buyer_responded: "Buyer responded",
  opportunity_created: "Opportunity created",
  stage_advanced: "Stage advanced",
};

export const SLA_LABELS: Record<string, string> = {
  due: "due",
  overdue: "overdue",
  met: "met",
  missed: "missed (late)",
};

export const CHANNEL_LABELS: Record<string, string> = {
  email: "Email",
  call: "Call",
  meeting: "Meeting",
  task: "Task",
};
