/**
 * More distinct topics per hour than this flags a session as overloaded: under 15 minutes per topic leaves no
 * time to practise, which is how guided training turns into confusion later.
 */
export const OVERLOAD_TOPICS_PER_HOUR = 4;

export interface SessionTopics {
  sessionId: string;
  durationMinutes: number;
  topics: readonly string[];
}

export interface SessionLoad {
  sessionId: string;
  topics: number;
  hours: number;
  /** Distinct topics / hours; null for a session without duration. */
  topicsPerHour: number | null;
  overloaded: boolean;
}

/** Topics per hour of a session and whether it exceeds the overload threshold. */
export function sessionLoad(
  session: SessionTopics,
  threshold: number = OVERLOAD_TOPICS_PER_HOUR,
): SessionLoad {
  const topics = new Set(session.topics.map((t) => t.trim().toLowerCase()).filter((t) => t !== "")).size;
  const hours = Math.max(0, session.durationMinutes) / 60;
  const topicsPerHour = hours > 0 ? topics / hours : null;
  return {
    sessionId: session.sessionId,
    topics,
    hours,
    topicsPerHour,
    overloaded: topicsPerHour !== null && topicsPerHour > threshold,
  };
}
