import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DealSetBuilder, type TouchRun } from "../../core/roi/index.ts";
import { parseGroups, parseRun, productStages } from "./load-deals.ts";

const US = "\u001f";
const RS = "\u001e";

/** The straightforward reading: split every touch, intern every field. */
function splitEveryTouch(text: string, builder: DealSetBuilder): TouchRun {
  const touches = text.split(RS);
  const n = touches.length;
  const run: TouchRun = {
    at: new Float64Array(n),
    channel: new Int32Array(n),
    event: new Int32Array(n),
    campaign: new Int32Array(n),
    kind: new Int32Array(n),
    online: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = touches[i]!.split(US);
    run.at[i] = Number(f[0]);
    run.channel[i] = builder.touchCode("channel", f[1]!.trim());
    run.kind[i] = builder.touchCode("kind", f[2]);
    run.online[i] = f[3] === "1" ? 1 : 0;
    run.event[i] = builder.touchCode("event", f[4]);
    run.campaign[i] = builder.touchCode("campaign", f[5]);
  }
  return run;
}

// A touch as the database writes it: ms, channel, kind, online, event id (or empty), campaign (or empty).
const touch = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }).map(String),
      fc.integer({ min: -(2 ** 50), max: 2 ** 50 }).map(String),
      fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }).map(String),
      fc.constantFrom("0", "-0", "123456789012345", "-123456789012345", "1234567890123456"),
    ),
    fc.constantFrom("webinar", " email ", "conference", "web", "call"),
    fc.constantFrom("", "attended", "note", "registered"),
    fc.boolean(),
    fc.constantFrom("", "e1", "e2", "e3"),
    fc.constantFrom("", "spring", "q3 push"),
  )
  .map(([at, channel, kind, online, event, campaign]) =>
    [at, channel, kind, online ? "1" : "0", event, campaign].join(US),
  );

describe("reading a group's touches", () => {
  it("gives the codes, and fills the dictionaries in the order, that splitting every touch gives", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(touch, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 8 }),
        (groups) => {
          const reference = new DealSetBuilder(productStages, 365);
          const fast = new DealSetBuilder(productStages, 365);
          const seen = new Map();
          // Runs come from the database in time order.
          const texts = groups.map((g) =>
            g.sort((x, y) => Number(x.split(US)[0]) - Number(y.split(US)[0])).join(RS),
          );
          const expected = texts.map((text) => splitEveryTouch(text, reference));
          texts.forEach((text, k) => {
            expect(parseRun(text, fast, seen)).toEqual(expected[k]);
          });
          // A chunk of groups in one set of columns: each group's range holds what its own run holds.
          const chunked = new DealSetBuilder(productStages, 365);
          const { run, bounds } = parseGroups(texts, chunked, new Map());
          expect(bounds[texts.length]).toBe(run.at.length);
          texts.forEach((_, k) => {
            const slice = (c: keyof TouchRun) => run[c].slice(bounds[k], bounds[k + 1]);
            expect({
              at: slice("at"),
              channel: slice("channel"),
              event: slice("event"),
              campaign: slice("campaign"),
              kind: slice("kind"),
              online: slice("online"),
            }).toEqual(expected[k]);
          });
          const a = reference.build();
          for (const b of [fast.build(), chunked.build()]) {
            expect([b.channels, b.kinds, b.events, b.campaigns]).toEqual([
              a.channels,
              a.kinds,
              a.events,
              a.campaigns,
            ]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a run that goes back in time, naming the touch (the aggregate lost its order)", () => {
    const builder = new DealSetBuilder(productStages, 365);
    const at = (ms: number) => [ms, "web", "visit", "1", "", ""].join(US);
    expect(() => parseRun([at(2000), at(2000), at(3000)].join(RS), builder, new Map())).not.toThrow();
    expect(() => parseRun([at(2000), at(3000), at(2999)].join(RS), builder, new Map())).toThrow(
      /out of time order at touch 3: 2999/,
    );
  });
});
