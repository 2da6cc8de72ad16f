import type { JobRunner } from "../jobs/job-runner.ts";
import { registerLeadDigest } from "../jobs/lead-digest.ts";
import { registerLearningJobs } from "./learning/learning-jobs.ts";
import { registerMovementJobs } from "./movement/movement-jobs.ts";

/** Every capability's scheduled work: assessment sends and reminders, commitment follow-ups, stall checks, digests. */
export function registerJobHandlers(runner: JobRunner): void {
  registerLearningJobs(runner);
  registerMovementJobs(runner);
  registerLeadDigest(runner);
}
