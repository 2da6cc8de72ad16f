import { z } from "zod";
import { loadConfig } from "../../config.ts";
import { migrationVersion } from "../../db/migrate.ts";
import { openMigratedDatabase } from "../../db/open-from-config.ts";
import { type Command, parseFlags } from "../command.ts";

export const command: Command = {
  name: "migrate",
  summary: "apply pending database migrations (all in one transaction) and print the version",
  usage: "throughline migrate",
  async run(args, io) {
    parseFlags(args, z.object({}).strict());
    const db = await openMigratedDatabase(loadConfig());
    try {
      io.out(`${db.kind}: migration version ${await migrationVersion(db)}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
