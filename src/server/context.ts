import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { Role } from "../db/schema/vocabulary.ts";

/** Who is calling: set by the authentication middleware on every signed-in route. */
export interface Caller {
  orgId: string;
  userId: string;
  role: Role;
  email: string;
  name: string;
  /** "session" for the web app (cookie + CSRF), "api_key" for the HTTP API. */
  via: "session" | "api_key";
  csrfToken?: string;
}

export interface Services {
  db: Database;
  config: Config;
  migrationVersion: number;
  /** The clock, injectable so tests can move time. */
  now: () => Date;
}

export type AppEnv = {
  Variables: {
    services: Services;
    caller: Caller;
  };
};
