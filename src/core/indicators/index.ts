export * from "./event-indicators.ts";
export * from "./time-in-session.ts";
