/** An error answered by the API (`{ error: { code, message, field } }`) or a failure to reach it. */
export class ApiError extends Error {
  override name = "ApiError";

  constructor(
    /** The API's error code (`unauthenticated`, `validation`, …), or `network` / `http_<status>` when no JSON came back. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    /** The request field the error is about, when the API names one. */
    readonly field?: string,
  ) {
    super(message);
  }
}
