import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { migrationVersion } from "../db/migrate.ts";
import { createApp } from "./app.ts";
import { startResampleThreads } from "./compute/resample-threads.ts";

export const webDist = join(dirname(fileURLToPath(import.meta.url)), "../../web/dist");

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the API and the built web app on the configured port (0 picks a free one). Reports' bootstrap intervals are
 * shared with worker threads, started here in the background (a report asked for before they are ready runs on the
 * request thread alone, with the same result).
 */
export async function startServer(db: Database, config: Config, port = config.PORT): Promise<RunningServer> {
  startResampleThreads().catch((error: unknown) => {
    console.warn(
      `bootstrap resamples stay on the request thread: worker threads did not start (${error instanceof Error ? error.message : String(error)})`,
    );
  });
  const app = createApp(
    { db, config, migrationVersion: await migrationVersion(db), now: () => new Date() },
    { webDir: existsSync(webDist) ? webDist : undefined },
  );
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      resolve({
        url: `http://localhost:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once("error", reject);
  });
}
