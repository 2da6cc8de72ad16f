import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { JobRunner } from "./job-runner.ts";
import { smtpTransport } from "./mail-transport.ts";
import { OutboxWorker } from "./outbox-worker.ts";
import { onEmailQueued } from "./wake.ts";

export interface Workers {
  outbox: OutboxWorker | undefined;
  jobs: JobRunner;
  stop(): Promise<void>;
}

/**
 * Starts the background workers of a server process: the email outbox (only when THROUGHLINE_SMTP_URL is set;
 * otherwise emails wait in the outbox, visible as queued) and the durable job runner.
 */
export async function startWorkers(
  db: Database,
  config: Config,
  log: (line: string) => void,
  /** Registers each capability's job handlers before the runner starts (the server layer passes them in). */
  registerHandlers: (runner: JobRunner) => void = () => {},
): Promise<Workers> {
  let outbox: OutboxWorker | undefined;
  let unsubscribe = () => {};
  if (config.THROUGHLINE_SMTP_URL) {
    outbox = new OutboxWorker({
      db,
      transport: smtpTransport(config.THROUGHLINE_SMTP_URL),
      from: config.THROUGHLINE_MAIL_FROM,
      log,
    });
    const recovered = await outbox.recoverStale();
    if (recovered > 0) log(`outbox: ${recovered} interrupted emails queued again`);
    outbox.start();
    const worker = outbox;
    unsubscribe = onEmailQueued(() => worker.nudge());
  } else {
    log("email: THROUGHLINE_SMTP_URL is not set, so emails wait in the outbox (status queued)");
  }
  const jobs = new JobRunner(db, () => new Date(), log);
  registerHandlers(jobs);
  await jobs.recoverStale();
  jobs.start();
  return {
    outbox,
    jobs,
    async stop() {
      unsubscribe();
      await Promise.all([outbox?.stop(), jobs.stop()]);
    },
  };
}
