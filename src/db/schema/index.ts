export * from "./crm.ts";
export * from "./events.ts";
export * from "./leads.ts";
export * from "./learning.ts";
export * from "./learning-ops.ts";
export * from "./movement.ts";
export * from "./operations.ts";
export * from "./tenancy.ts";
