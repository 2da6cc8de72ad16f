export * from "./revocation.ts";
export * from "./token.ts";
