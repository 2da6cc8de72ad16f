import { sql } from "drizzle-orm";
import { z } from "zod";
import { loadConfig } from "../../config.ts";
import { rows } from "../../db/client.ts";
import { openMigratedDatabase } from "../../db/open-from-config.ts";
import { startWorkers } from "../../jobs/start-workers.ts";
import { bootstrapAdmin } from "../../server/bootstrap-admin.ts";
import { registerJobHandlers } from "../../server/job-handlers.ts";
import { startServer } from "../../server/start.ts";
import { type Command, parseFlags } from "../command.ts";

const flagsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).optional(),
    demoIfEmpty: z.boolean().optional(),
  })
  .strict();

export const command: Command = {
  name: "serve",
  summary: "serve the API and the web app (migrates first; --demo-if-empty loads the demo organization)",
  usage: "throughline serve [--port N] [--demo-if-empty]",
  async run(args, io) {
    const { flags } = parseFlags(args, flagsSchema, ["demoIfEmpty"]);
    const config = loadConfig();
    const started = Date.now();
    const db = await openMigratedDatabase(config);
    const where =
      db.kind === "pglite" ? `embedded database in ${config.THROUGHLINE_DATA_DIR}` : "PostgreSQL server";
    io.err(`database: ${where}, migrated`);
    const orgs = await rows<{ id: string; slug: string }>(
      db.owner,
      sql`select id, slug from organizations order by created_at`,
    );
    if (orgs.length === 0 && flags.demoIfEmpty) {
      io.err("first run: loading the demo organization (small)…");
      const { loadDemo } = await import("../../demo/load-demo.ts");
      const demo = await loadDemo(db, { seed: 1, scale: "small" });
      orgs.push({ id: demo.orgId, slug: "demo" });
    }
    for (const org of orgs) {
      const admin = await bootstrapAdmin(db, org.id, config.THROUGHLINE_ADMIN_PASSWORD);
      if (admin) {
        io.out(
          admin.generated
            ? `sign in as ${admin.email} with password ${admin.password} (generated; shown only this once)`
            : `sign in as ${admin.email} with the password from THROUGHLINE_ADMIN_PASSWORD`,
        );
      }
    }
    const server = await startServer(db, config, flags.port);
    const workers = await startWorkers(db, config, io.err, registerJobHandlers);
    io.out(
      `Throughline is serving on ${server.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await workers.stop();
    await server.close();
    await db.close();
    return 0;
  },
};
