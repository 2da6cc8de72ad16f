/**
 * The kinds of durable job the learning capability schedules in the `jobs` table, with their payloads. Handlers are
 * in learning-jobs.ts (`registerLearningJobs`).
 */
export const LEARNING_JOBS = {
  /** Payload { assessmentId, phase, delayDays }: create attempts and email each learner a signed link. */
  sendAssessment: "learning.assessment.send",
  /** Payload { assessmentId, phase, delayDays }: remind learners whose attempt of that window is not submitted. */
  remindAssessment: "learning.assessment.remind",
  /** Payload { eventId, personId }: email the commitment follow-up link (implemented fully / partly / not). */
  commitmentFollowUp: "learning.commitment.follow_up",
  /** Payload { eventId, personId }: email the reinforcement drill link when cards fall due. */
  drillDue: "learning.drill.due",
} as const;

export interface AssessmentJobPayload {
  assessmentId: string;
  phase: "pre" | "post" | "delayed";
  delayDays: number;
}

export interface PersonJobPayload {
  eventId: string;
  personId: string;
}
