import type { Config } from "../config.ts";
import { type Database, openDatabase } from "./client.ts";
import { migrate } from "./migrate.ts";

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else the embedded one) and migrates it. */
export async function openMigratedDatabase(config: Config): Promise<Database> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    appDatabaseUrl: config.DATABASE_APP_URL,
    dataDir: config.THROUGHLINE_DATA_DIR,
  });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
