export * from "./qr.ts";
export * from "./revocation.ts";
export * from "./token.ts";
