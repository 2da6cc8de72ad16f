import { AppError } from "../errors.ts";
import { type Journey, type KeyBy, MISSING_KEY, type Touch } from "./types.ts";

/** Bits of `JourneyTable.touchFlags`. */
export const FLAG_ONLINE = 1;
export const FLAG_LEAD_CREATION = 2;
export const FLAG_OPP_CREATION = 4;
export const FLAG_CLOSED_WON = 8;

/**
 * The columnar form every model runs over, built once per input. Touches of journey j are the indices
 * `offsets[j] .. offsets[j+1]-1` of the touch columns, already in time order (stable: by time, then by input
 * order). Models read only these typed arrays, so a pass over 20M touches touches no objects.
 */
export interface JourneyTable {
  readonly keyBy: KeyBy;
  /** Channel dictionary: `touchChannel` values index it. */
  readonly channels: readonly string[];
  /** Key dictionary (the same array as `channels` when keyBy is "channel"). */
  readonly keys: readonly string[];
  /** Kind dictionary (`touchKind` values index it). */
  readonly kinds: readonly string[];
  readonly journeyCount: number;
  readonly touchCount: number;
  /** Length journeyCount + 1, non-decreasing, offsets[0] = 0, offsets[journeyCount] = touchCount. */
  readonly offsets: Int32Array;
  readonly touchChannel: Int32Array;
  /** The same array as `touchChannel` when keyBy is "channel". */
  readonly touchKey: Int32Array;
  /** Epoch ms per touch; NaN for touches of untimed journeys; null when no journey carries times. */
  readonly touchTime: Float64Array | null;
  /** FLAG_* bits per touch; null means every touch is online and none is a milestone. */
  readonly touchFlags: Uint8Array | null;
  /** Kind index per touch, -1 for none; null when no touch has a kind. */
  readonly touchKind: Int32Array | null;
  readonly conversions: Float64Array;
  readonly value: Float64Array;
  readonly nulls: Float64Array;
}

/** Checks one journey-level number and returns it; `label` is e.g. "row 7" or "journey 3". */
function checkAmount(raw: number | undefined, label: string, field: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0) {
    throw new AppError(
      "validation",
      `${label}: ${field} must be a finite number >= 0, got ${String(raw)}`,
      field,
    );
  }
  return raw;
}

/** Validates the three amounts of a journey or CSV row; value without conversions is meaningless, so refused. */
export function checkJourneyAmounts(
  label: string,
  conversions: number,
  value: number | undefined,
  nulls: number | undefined,
): { conversions: number; value: number; nulls: number } {
  const c = checkAmount(conversions, label, "conversions", 0);
  const v = checkAmount(value, label, "value", 0);
  const n = checkAmount(nulls, label, "nulls", 0);
  if (v > 0 && c === 0)
    throw new AppError("validation", `${label}: value ${v} given with 0 conversions`, "value");
  return { conversions: c, value: v, nulls: n };
}

/** Splits "a > b > c" into trimmed channel names; an empty name ("a >  > b", "a > ") is an error. "" is no touch. */
export function splitPath(path: string, label: string): string[] {
  if (path.trim() === "") return [];
  const parts = path.split(">");
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!.trim();
    if (name === "") {
      throw new AppError(
        "validation",
        `${label}: empty channel name at position ${i + 1} of path "${path}"`,
        "path",
      );
    }
    parts[i] = name;
  }
  return parts;
}

class GrowInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

class GrowFloat64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024, fill = 0) {
    this.data = new Float64Array(capacity).fill(fill);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

class GrowUint8 {
  data: Uint8Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

function intern(dict: Map<string, number>, list: string[], name: string): number {
  let id = dict.get(name);
  if (id === undefined) {
    id = list.length;
    dict.set(name, id);
    list.push(name);
  }
  return id;
}

/**
 * Builds a JourneyTable incrementally: from Journey objects (`addJourney`) or from aggregated channel paths
 * (`addPath`, the CSV route). Columns that no journey uses (times, flags, kinds) are never allocated.
 */
export class JourneyTableBuilder {
  readonly keyBy: KeyBy;
  private readonly onlineOnly: boolean;
  private readonly channelIds = new Map<string, number>();
  private readonly channels: string[] = [];
  private readonly keyIds = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly kindIds = new Map<string, number>();
  private readonly kinds: string[] = [];
  private readonly offsets = new GrowInt32();
  private readonly touchChannel = new GrowInt32();
  private readonly touchKey = new GrowInt32();
  private touchTime: GrowFloat64 | null = null;
  private touchFlags: GrowUint8 | null = null;
  private touchKind: GrowInt32 | null = null;
  private readonly conversions = new GrowFloat64();
  private readonly value = new GrowFloat64();
  private readonly nulls = new GrowFloat64();

  /** `onlineOnly` drops offline touches as journeys are added (a journey left with none is unattributed). */
  constructor(options: { keyBy?: KeyBy; onlineOnly?: boolean } = {}) {
    this.keyBy = options.keyBy ?? "channel";
    this.onlineOnly = options.onlineOnly ?? false;
    this.offsets.push(0);
  }

  get journeyCount(): number {
    return this.conversions.length;
  }

  /** Adds one journey; `label` names it in error messages. Touches are ordered by time, ties by input order. */
  addJourney(journey: Journey, label: string): void {
    const amounts = checkJourneyAmounts(label, journey.conversions, journey.value, journey.nulls);
    const touches = journey.touches;
    if (!Array.isArray(touches))
      throw new AppError("validation", `${label}: touches must be an array`, "touches");
    let timed = 0;
    for (let i = 0; i < touches.length; i++) {
      const t = touches[i]!;
      if (typeof t.channel !== "string" || t.channel.trim() === "") {
        throw new AppError(
          "validation",
          `${label}: touch ${i + 1} has an empty channel name`,
          `touches.${i}.channel`,
        );
      }
      if (t.occurredAt !== undefined) {
        if (typeof t.occurredAt !== "number" || !Number.isFinite(t.occurredAt)) {
          throw new AppError(
            "validation",
            `${label}: touch ${i + 1} occurredAt must be finite epoch ms`,
            `touches.${i}.occurredAt`,
          );
        }
        timed++;
      }
    }
    if (timed !== 0 && timed !== touches.length) {
      throw new AppError(
        "validation",
        `${label}: ${timed} of ${touches.length} touches have occurredAt; give it on all touches or none`,
        "touches",
      );
    }
    let order: readonly Touch[] = touches;
    if (timed > 0) {
      let sorted = true;
      for (let i = 1; i < touches.length; i++) {
        if (touches[i]!.occurredAt! < touches[i - 1]!.occurredAt!) {
          sorted = false;
          break;
        }
      }
      // Array.prototype.sort is stable, so equal times keep their input order.
      if (!sorted) order = [...touches].sort((a, b) => a.occurredAt! - b.occurredAt!);
    }
    for (const t of order) {
      if (this.onlineOnly && t.online === false) continue;
      const flags =
        (t.online === false ? 0 : FLAG_ONLINE) |
        (t.isLeadCreation ? FLAG_LEAD_CREATION : 0) |
        (t.isOppCreation ? FLAG_OPP_CREATION : 0) |
        (t.isClosedWon ? FLAG_CLOSED_WON : 0);
      // Optional columns are allocated on first use and back-filled for the touches already added.
      if (flags !== FLAG_ONLINE && this.touchFlags === null)
        this.touchFlags = this.backfillUint8(FLAG_ONLINE);
      if (timed > 0 && this.touchTime === null) this.touchTime = this.backfillFloat64(Number.NaN);
      if (t.kind !== undefined && this.touchKind === null) this.touchKind = this.backfillInt32(-1);
      this.touchFlags?.push(flags);
      this.touchTime?.push(timed > 0 ? t.occurredAt! : Number.NaN);
      this.touchKind?.push(t.kind === undefined ? -1 : intern(this.kindIds, this.kinds, t.kind));
      const channel = intern(this.channelIds, this.channels, t.channel.trim());
      this.touchChannel.push(channel);
      // keyBy "channel" shares the channel column, so no key column is filled.
      if (this.keyBy !== "channel") {
        const raw = this.keyBy === "event" ? t.eventId : t.campaign;
        this.touchKey.push(
          intern(this.keyIds, this.keys, raw === undefined || raw === "" ? MISSING_KEY : raw),
        );
      }
    }
    this.endJourney(amounts);
  }

  /** Adds one aggregated path of already-split, non-empty channel names (no times, all online, no milestones). */
  addPath(channelNames: readonly string[], conversions: number, value: number, nulls: number): void {
    for (const name of channelNames) {
      const channel = intern(this.channelIds, this.channels, name);
      this.touchChannel.push(channel);
      if (this.keyBy !== "channel") this.touchKey.push(intern(this.keyIds, this.keys, MISSING_KEY));
      this.touchFlags?.push(FLAG_ONLINE);
      this.touchTime?.push(Number.NaN);
      this.touchKind?.push(-1);
    }
    this.endJourney({ conversions, value, nulls });
  }

  /** Adds amounts to a journey already added (identical aggregated paths on several rows add up). */
  addToJourney(journey: number, conversions: number, value: number, nulls: number): void {
    this.conversions.data[journey]! += conversions;
    this.value.data[journey]! += value;
    this.nulls.data[journey]! += nulls;
  }

  build(): JourneyTable {
    const touchChannel = this.touchChannel.toArray();
    return {
      keyBy: this.keyBy,
      channels: [...this.channels],
      keys: this.keyBy === "channel" ? [...this.channels] : [...this.keys],
      kinds: [...this.kinds],
      journeyCount: this.conversions.length,
      touchCount: this.touchChannel.length,
      offsets: this.offsets.toArray(),
      touchChannel,
      touchKey: this.keyBy === "channel" ? touchChannel : this.touchKey.toArray(),
      touchTime: this.touchTime?.toArray() ?? null,
      touchFlags: this.touchFlags?.toArray() ?? null,
      touchKind: this.touchKind?.toArray() ?? null,
      conversions: this.conversions.toArray(),
      value: this.value.toArray(),
      nulls: this.nulls.toArray(),
    };
  }

  private endJourney(amounts: { conversions: number; value: number; nulls: number }): void {
    this.offsets.push(this.touchChannel.length);
    this.conversions.push(amounts.conversions);
    this.value.push(amounts.value);
    this.nulls.push(amounts.nulls);
  }

  private backfillUint8(fill: number): GrowUint8 {
    const g = new GrowUint8(Math.max(1024, this.touchChannel.data.length));
    g.data.fill(fill, 0, this.touchChannel.length);
    g.length = this.touchChannel.length;
    return g;
  }
  private backfillFloat64(fill: number): GrowFloat64 {
    const g = new GrowFloat64(Math.max(1024, this.touchChannel.data.length));
    g.data.fill(fill, 0, this.touchChannel.length);
    g.length = this.touchChannel.length;
    return g;
  }
  private backfillInt32(fill: number): GrowInt32 {
    const g = new GrowInt32(Math.max(1024, this.touchChannel.data.length));
    g.data.fill(fill, 0, this.touchChannel.length);
    g.length = this.touchChannel.length;
    return g;
  }
}

/** Builds the columnar form of a list of journeys; errors name the journey by its 1-based position. */
export function buildJourneyTable(
  journeys: readonly Journey[],
  options: { keyBy?: KeyBy; onlineOnly?: boolean } = {},
): JourneyTable {
  const builder = new JourneyTableBuilder(options);
  for (let i = 0; i < journeys.length; i++) builder.addJourney(journeys[i]!, `journey ${i + 1}`);
  return builder.build();
}

/**
 * Wraps ready-made columns (e.g. a generator or a database cursor that already produced typed arrays) as a
 * channel-keyed table without copying, after checking the invariants models rely on.
 */
export function journeyTableFromColumns(columns: {
  channels: readonly string[];
  offsets: Int32Array;
  touchChannel: Int32Array;
  conversions: Float64Array;
  value?: Float64Array;
  nulls?: Float64Array;
}): JourneyTable {
  const { channels, offsets, touchChannel, conversions } = columns;
  const journeyCount = conversions.length;
  const value = columns.value ?? new Float64Array(journeyCount);
  const nulls = columns.nulls ?? new Float64Array(journeyCount);
  if (offsets.length !== journeyCount + 1 || value.length !== journeyCount || nulls.length !== journeyCount) {
    throw new AppError(
      "validation",
      "columns: offsets, conversions, value and nulls lengths disagree",
      "offsets",
    );
  }
  if (offsets[0] !== 0 || offsets[journeyCount] !== touchChannel.length) {
    throw new AppError(
      "validation",
      "columns: offsets must start at 0 and end at the touch count",
      "offsets",
    );
  }
  for (let j = 0; j < journeyCount; j++) {
    if (offsets[j + 1]! < offsets[j]!) {
      throw new AppError("validation", `columns: offsets decrease at journey ${j + 1}`, "offsets");
    }
    checkJourneyAmounts(`journey ${j + 1}`, conversions[j]!, value[j]!, nulls[j]!);
  }
  const n = channels.length;
  for (let t = 0; t < touchChannel.length; t++) {
    const c = touchChannel[t]!;
    if (c < 0 || c >= n)
      throw new AppError("validation", `columns: touch ${t} has channel index ${c}`, "touchChannel");
  }
  channels.forEach((name, i) => {
    if (name.trim() === "")
      throw new AppError("validation", `columns: channel ${i} has an empty name`, "channels");
  });
  return {
    keyBy: "channel",
    channels,
    keys: channels,
    kinds: [],
    journeyCount,
    touchCount: touchChannel.length,
    offsets,
    touchChannel,
    touchKey: touchChannel,
    touchTime: null,
    touchFlags: null,
    touchKind: null,
    conversions,
    value,
    nulls,
  };
}

/** A copy of the table keeping only online touches (dictionaries unchanged, so every key still reports). */
export function onlineOnlyTable(table: JourneyTable): JourneyTable {
  const flags = table.touchFlags;
  if (flags === null) return table; // every touch is online
  let kept = 0;
  for (let t = 0; t < table.touchCount; t++) if (flags[t]! & FLAG_ONLINE) kept++;
  const offsets = new Int32Array(table.journeyCount + 1);
  const touchChannel = new Int32Array(kept);
  const touchKey = table.touchKey === table.touchChannel ? touchChannel : new Int32Array(kept);
  const touchTime = table.touchTime ? new Float64Array(kept) : null;
  const touchFlags = new Uint8Array(kept);
  const touchKind = table.touchKind ? new Int32Array(kept) : null;
  let out = 0;
  for (let j = 0; j < table.journeyCount; j++) {
    for (let t = table.offsets[j]!; t < table.offsets[j + 1]!; t++) {
      if (!(flags[t]! & FLAG_ONLINE)) continue;
      touchChannel[out] = table.touchChannel[t]!;
      if (touchKey !== touchChannel) touchKey[out] = table.touchKey[t]!;
      if (touchTime) touchTime[out] = table.touchTime![t]!;
      touchFlags[out] = flags[t]!;
      if (touchKind) touchKind[out] = table.touchKind![t]!;
      out++;
    }
    offsets[j + 1] = out;
  }
  return { ...table, touchCount: kept, offsets, touchChannel, touchKey, touchTime, touchFlags, touchKind };
}
