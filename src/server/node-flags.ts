/**
 * Node's flags for the server process, as `npm start` passes them (package.json) and the check-in benchmark starts
 * its server (bench/checkin.ts).
 *
 * `--max-semi-space-size=64`: a young generation of up to 2 × 64 MB per thread instead of 2 × 16 MB. Every request
 * leaves short-lived objects behind; with the default, the thread serving HTTP stopped for a young collection 61–63
 * times in a check-in run of 20,000 scans (about 200–240 ms in all), and with 64, 14–15 times (58–75 ms). Five
 * alternating pairs of that run: 4,655–5,097 check-ins/s against 4,121–4,798, and p99 34–41 ms against 36–45 ms.
 * The cost is memory: a busy thread (the HTTP thread, the embedded database's, a report's workers, which inherit the
 * flag) may hold up to 96 MB more before collecting.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"] as const;
