import { AppError } from "../errors.ts";

/** A stage of the sales process: its name, the probability that weights open pipeline in it, and if it is closed. */
export interface StageInfo {
  name: string;
  probability: number;
  /** "won" or "lost" for the closed stages; null while the opportunity is open. */
  closed: "won" | "lost" | null;
}

/**
 * Opportunities with their stage history and the touches of their journeys, in columns. Deal i owns the stage
 * entries `stageOffsets[i] .. stageOffsets[i+1]-1` and the touches `touchOffsets[i] .. touchOffsets[i+1]-1`, both
 * in time order (ties in insertion order). The touches are every touch that could belong to the deal's journey as
 * far as today is known: from `openedAt − lookback` to the close (no upper bound while open). Analyses cut them
 * further to what was known on a given day.
 *
 * Dictionaries: `touchChannel` indexes `channels`; `touchEvent`, `touchCampaign` and `touchKind` index theirs, -1
 * for none; `stageCode` indexes `stages`; `segment` indexes `segments`, -1 for none.
 */
export interface DealSet {
  readonly count: number;
  readonly ids: readonly string[];
  readonly amount: Float64Array;
  readonly openedAt: Float64Array;
  /** The close instant (NaN while open as far as today is known). */
  readonly closedAt: Float64Array;
  readonly segment: Int32Array;
  readonly segments: readonly string[];
  readonly stages: readonly StageInfo[];
  readonly stageOffsets: Int32Array;
  readonly stageAt: Float64Array;
  readonly stageCode: Int32Array;
  /** Stage of a deal before its first recorded change (the from-stage of that change). */
  readonly initialStage: Int32Array;
  readonly channels: readonly string[];
  readonly events: readonly string[];
  readonly campaigns: readonly string[];
  readonly kinds: readonly string[];
  readonly touchOffsets: Int32Array;
  readonly touchAt: Float64Array;
  readonly touchChannel: Int32Array;
  readonly touchEvent: Int32Array;
  readonly touchCampaign: Int32Array;
  readonly touchKind: Int32Array;
  /** 1 online, 0 offline. */
  readonly touchOnline: Uint8Array;
  /** The lookback the touches were loaded with, in days (touches before `openedAt − lookback` are not here). */
  readonly lookbackDays: number;
}

/** What a deal was on a given day: not yet opened, open in some stage, won or lost. */
export type DealState = "not_opened" | "open" | "won" | "lost";

/** One opportunity handed to the builder. */
export interface DealInput {
  id: string;
  /** Amount in minor units (e.g. cents); finite and >= 0. */
  amount: number;
  openedAt: number;
  closedAt?: number | null;
  /** Today's outcome; used only when the deal has no stage history at all. */
  isWon?: boolean | null;
  /** Today's stage; used only when the deal has no stage history at all. */
  stage?: string | null;
  segment?: string | null;
}

/** Touches in columns, attributes as the builder's dictionary codes (see DealSetBuilder.touchCode). */
export interface TouchRun {
  at: Float64Array;
  channel: Int32Array;
  event: Int32Array;
  campaign: Int32Array;
  kind: Int32Array;
  /** 1 online, 0 offline. */
  online: Uint8Array;
}

/** One touch handed to the builder. */
export interface TouchInput {
  at: number;
  channel: string;
  online: boolean;
  eventId?: string | null;
  campaign?: string | null;
  kind?: string | null;
}

class Grow<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(16, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  last(): number {
    return this.data[this.length - 1]!;
  }
  /** The values, in an array of their own (on shared memory when asked: other threads then read the same). */
  done(shared = false): T {
    if (!shared) return this.data.slice(0, this.length) as T;
    const out = columnLike(this.data, this.length, true);
    out.set(this.data.subarray(0, this.length));
    return out;
  }
}

/** A column of `n` zeros of the type of `like`, on shared memory when asked (other threads then read the same). */
function columnLike<T extends Float64Array | Int32Array | Uint8Array>(
  like: T,
  n: number,
  shared: boolean,
): T {
  const Of = like.constructor as {
    new (length: number): T;
    new (buffer: SharedArrayBuffer): T;
    BYTES_PER_ELEMENT: number;
  };
  return shared ? new Of(new SharedArrayBuffer(n * Of.BYTES_PER_ELEMENT)) : new Of(n);
}
const f64 = (n = 256) => new Grow(new Float64Array(n), (m) => new Float64Array(m));
const i32 = (n = 256) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const u8 = (n = 256) => new Grow(new Uint8Array(n), (m) => new Uint8Array(m));

type TouchColumn = keyof TouchRun;
const TOUCH_COLUMNS: readonly TouchColumn[] = ["at", "channel", "event", "campaign", "kind", "online"];

/**
 * A deal set's touches as they are added, in order: ranges of runs the caller hands over (kept by reference, never
 * copied until the end), and single touches (kept here). `done` copies everything once into columns of the exact
 * size. Growing the columns as touches came (doubling, then a copy of the right size) allocated three times the
 * touches of a large deal set, and the garbage collector paid for that memory again and again.
 */
class TouchStore {
  /** Single touches, in their own growing columns. */
  private readonly single = {
    at: f64(),
    channel: i32(),
    event: i32(),
    campaign: i32(),
    kind: i32(),
    online: u8(),
  };
  /** Ranges in order: a run (null: the single touches) and its [start, end). */
  private readonly runs: (TouchRun | null)[] = [];
  private readonly bounds: number[] = [];
  length = 0;
  /** Time of the last touch added (NaN before the first). */
  lastAt = Number.NaN;

  push(at: number, channel: number, event: number, campaign: number, kind: number, online: number): void {
    const s = this.single;
    const k = s.at.length;
    s.at.push(at);
    s.channel.push(channel);
    s.event.push(event);
    s.campaign.push(campaign);
    s.kind.push(kind);
    s.online.push(online);
    const last = this.runs.length - 1;
    if (last >= 0 && this.runs[last] === null && this.bounds[2 * last + 1] === k) {
      this.bounds[2 * last + 1] = k + 1;
      this.length++;
    } else this.add(null, k, k + 1);
    this.lastAt = at;
  }

  /** Adds `run[start..end)` by reference: the run must not change until `done`. */
  pushRange(run: TouchRun, start: number, end: number): void {
    if (end <= start) return;
    this.add(run, start, end);
    this.lastAt = run.at[end - 1]!;
  }

  private add(run: TouchRun | null, start: number, end: number): void {
    this.runs.push(run);
    this.bounds.push(start, end);
    this.length += end - start;
  }

  /** The touches in columns of their exact size (on shared memory when asked). */
  done(shared: boolean): TouchRun {
    const n = this.length;
    const single: TouchRun = {
      at: this.single.at.data,
      channel: this.single.channel.data,
      event: this.single.event.data,
      campaign: this.single.campaign.data,
      kind: this.single.kind.data,
      online: this.single.online.data,
    };
    const out = {} as Record<TouchColumn, Float64Array | Int32Array | Uint8Array>;
    for (const column of TOUCH_COLUMNS) {
      const into = columnLike(single[column], n, shared);
      out[column] = into;
      let at = 0;
      for (let r = 0; r < this.runs.length; r++) {
        const start = this.bounds[2 * r]!;
        const end = this.bounds[2 * r + 1]!;
        const from = (this.runs[r] ?? single)[column] as Float64Array;
        if (end - start < 16) for (let t = start; t < end; t++) into[at++] = from[t]!;
        else {
          into.set(from.subarray(start, end), at);
          at += end - start;
        }
      }
    }
    return out as TouchRun;
  }
}

class Dictionary {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  code(name: string | null | undefined): number {
    if (name === null || name === undefined || name === "") return -1;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

/**
 * Builds a DealSet deal by deal: `addDeal`, then that deal's `addStage` and `addTouch` calls in time order (an
 * out-of-order touch or stage is an error: the database query orders them, and a silent sort would hide a bug).
 * A deal with no stage history gets one synthesized from today's row: its current stage from `openedAt` (or the
 * first stage if it is already closed), then its closed stage at `closedAt`.
 */
export class DealSetBuilder {
  private readonly stageIndex = new Map<string, number>();
  private readonly stages: StageInfo[];
  private readonly firstStage: number;
  private readonly ids: string[] = [];
  private readonly amount = f64();
  private readonly openedAt = f64();
  private readonly closedAt = f64();
  private readonly segment = i32();
  private readonly segments = new Dictionary();
  private readonly stageOffsets = i32();
  private readonly stageAt = f64();
  private readonly stageCode = i32();
  private readonly initialStage = i32();
  private readonly channels = new Dictionary();
  private readonly events = new Dictionary();
  private readonly campaigns = new Dictionary();
  private readonly kinds = new Dictionary();
  private readonly touchOffsets = i32();
  private readonly touches = new TouchStore();
  private current: DealInput | null = null;
  private currentFrom: string | null = null;

  /** `stages` in process order; unknown stage names in the data are added as open stages with probability 0. */
  constructor(
    stages: readonly StageInfo[],
    private readonly lookbackDays = 365,
  ) {
    this.stages = stages.map((s) => ({ ...s }));
    this.stages.forEach((s, i) => {
      this.stageIndex.set(s.name, i);
    });
    this.firstStage = this.stages.findIndex((s) => s.closed === null);
    this.stageOffsets.push(0);
    this.touchOffsets.push(0);
  }

  /** Stage names met in the data that the vocabulary does not know (weighted 0, reported by callers). */
  readonly unknownStages: string[] = [];

  private stage(name: string): number {
    let code = this.stageIndex.get(name);
    if (code === undefined) {
      code = this.stages.length;
      this.stages.push({ name, probability: 0, closed: null });
      this.stageIndex.set(name, code);
      this.unknownStages.push(name);
    }
    return code;
  }

  get count(): number {
    return this.ids.length;
  }

  /** Starts a new deal; its stages and touches follow. */
  addDeal(deal: DealInput): number {
    this.finishDeal();
    if (!Number.isFinite(deal.amount) || deal.amount < 0) {
      throw new AppError("validation", `opportunity ${deal.id}: amount must be finite and >= 0`, "amount");
    }
    if (!Number.isFinite(deal.openedAt)) {
      throw new AppError("validation", `opportunity ${deal.id}: openedAt is required`, "openedAt");
    }
    this.current = deal;
    this.currentFrom = null;
    this.ids.push(deal.id);
    this.amount.push(deal.amount);
    this.openedAt.push(deal.openedAt);
    this.closedAt.push(
      deal.closedAt === null || deal.closedAt === undefined
        ? Number.NaN
        : Math.max(deal.closedAt, deal.openedAt),
    );
    this.segment.push(this.segments.code(deal.segment));
    return this.ids.length - 1;
  }

  /** Adds a stage change of the current deal (time order). `from` of the first change is its initial stage. */
  addStage(at: number, to: string, from?: string | null): void {
    const deal = this.requireDeal();
    const start = this.stageOffsets.last();
    if (this.stageAt.length > start && at < this.stageAt.last()) {
      throw new AppError(
        "validation",
        `opportunity ${deal.id}: stage changes out of time order`,
        "changedAt",
      );
    }
    if (this.stageAt.length === start) this.currentFrom = from ?? null;
    this.stageAt.push(at);
    this.stageCode.push(this.stage(to));
  }

  /** Adds a touch of the current deal's journey (time order). */
  addTouch(t: TouchInput): void {
    if (t.channel.trim() === "") {
      throw new AppError(
        "validation",
        `opportunity ${this.requireDeal().id}: a touch has an empty channel name`,
        "channel",
      );
    }
    this.addTouchCodes(
      t.at,
      this.channels.code(t.channel),
      this.events.code(t.eventId),
      this.campaigns.code(t.campaign),
      this.kinds.code(t.kind),
      t.online,
    );
  }

  /** Dictionary code of a touch attribute (-1 for none), for callers that intern once and add by code. */
  touchCode(dictionary: "channel" | "event" | "campaign" | "kind", name: string | null | undefined): number {
    const dict =
      dictionary === "channel"
        ? this.channels
        : dictionary === "event"
          ? this.events
          : dictionary === "campaign"
            ? this.campaigns
            : this.kinds;
    return dict.code(name);
  }

  /** Adds a touch by dictionary codes from `touchCode` (time order; the channel code must be a real one). */
  addTouchCodes(
    at: number,
    channel: number,
    event: number,
    campaign: number,
    kind: number,
    online: boolean,
  ): void {
    const deal = this.requireDeal();
    const start = this.touchOffsets.last();
    if (this.touches.length > start && at < this.touches.lastAt) {
      throw new AppError("validation", `opportunity ${deal.id}: touches out of time order`, "occurredAt");
    }
    if (channel < 0) {
      throw new AppError(
        "validation",
        `opportunity ${deal.id}: a touch has an empty channel name`,
        "channel",
      );
    }
    this.touches.push(at, channel, event, campaign, kind, online ? 1 : 0);
  }

  /**
   * Adds touches `start..end-1` of a run of columns already coded with `touchCode` and in time order (e.g. one
   * account's touches), in one copy per column.
   */
  addTouchRun(run: TouchRun, start: number, end: number): void {
    const deal = this.requireDeal();
    if (end <= start) return;
    const first = this.touchOffsets.last();
    if (this.touches.length > first && run.at[start]! < this.touches.lastAt) {
      throw new AppError("validation", `opportunity ${deal.id}: touches out of time order`, "occurredAt");
    }
    for (let t = start; t < end; t++) {
      if (run.channel[t]! < 0) {
        throw new AppError(
          "validation",
          `opportunity ${deal.id}: a touch has an empty channel name`,
          "channel",
        );
      }
      if (t > start && run.at[t]! < run.at[t - 1]!) {
        throw new AppError("validation", `opportunity ${deal.id}: touches out of time order`, "occurredAt");
      }
    }
    this.touches.pushRange(run, start, end);
  }

  /**
   * The deal set. With `shared`, its columns are on shared memory, so that a worker thread posted the set reads the
   * very same columns instead of a copy.
   */
  build(options: { shared?: boolean } = {}): DealSet {
    this.finishDeal();
    this.current = null;
    const shared = options.shared ?? false;
    const touches = this.touches.done(shared);
    return {
      count: this.ids.length,
      ids: this.ids,
      amount: this.amount.done(shared),
      openedAt: this.openedAt.done(shared),
      closedAt: this.closedAt.done(shared),
      segment: this.segment.done(shared),
      segments: this.segments.names,
      stages: this.stages,
      stageOffsets: this.stageOffsets.done(shared),
      stageAt: this.stageAt.done(shared),
      stageCode: this.stageCode.done(shared),
      initialStage: this.initialStage.done(shared),
      channels: this.channels.names,
      events: this.events.names,
      campaigns: this.campaigns.names,
      kinds: this.kinds.names,
      touchOffsets: this.touchOffsets.done(shared),
      touchAt: touches.at,
      touchChannel: touches.channel,
      touchEvent: touches.event,
      touchCampaign: touches.campaign,
      touchKind: touches.kind,
      touchOnline: touches.online,
      lookbackDays: this.lookbackDays,
    };
  }

  private requireDeal(): DealInput {
    if (!this.current) throw new AppError("validation", "addDeal must come before its stages and touches");
    return this.current;
  }

  /** Closes the current deal: synthesizes a history when none was given, records offsets. */
  private finishDeal(): void {
    const deal = this.current;
    if (!deal) return;
    const i = this.ids.length - 1;
    const start = this.stageOffsets.last();
    if (this.stageAt.length === start) {
      const closedAt = this.closedAt.data[i]!;
      const closedStage = Number.isNaN(closedAt)
        ? -1
        : this.stages.findIndex((s) => s.closed === (deal.isWon ? "won" : "lost"));
      const openStage =
        Number.isNaN(closedAt) && deal.stage ? this.stage(deal.stage) : Math.max(this.firstStage, 0);
      this.stageAt.push(deal.openedAt);
      this.stageCode.push(openStage);
      if (closedStage >= 0) {
        this.stageAt.push(closedAt);
        this.stageCode.push(closedStage);
      }
      this.initialStage.push(openStage);
    } else {
      const from = this.currentFrom;
      this.initialStage.push(from ? this.stage(from) : this.stageCode.data[start]!);
    }
    this.stageOffsets.push(this.stageAt.length);
    this.touchOffsets.push(this.touches.length);
    this.current = null;
  }
}

/**
 * Stage code of deal i as of instant `at` (inclusive), from its history: the last change at or before `at`, the
 * initial stage before the first change, and -1 when the deal was not yet opened. Today's row is never read.
 */
export function stageAsOf(deals: DealSet, i: number, at: number): number {
  if (deals.openedAt[i]! > at) return -1;
  const start = deals.stageOffsets[i]!;
  const end = deals.stageOffsets[i + 1]!;
  // Binary search for the last change with stageAt <= at.
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (deals.stageAt[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === start ? deals.initialStage[i]! : deals.stageCode[lo - 1]!;
}

/** What deal i was as of `at`: not opened, open, won or lost (from the stage history as of that day). */
export function dealStateAsOf(deals: DealSet, i: number, at: number): DealState {
  const code = stageAsOf(deals, i, at);
  if (code < 0) return "not_opened";
  const closed = deals.stages[code]!.closed;
  return closed ?? "open";
}

/**
 * The instant deal i closed as known on `at`: the time of the change into its closed stage (or the row's closedAt
 * when the history has none), or NaN if it was still open then.
 */
export function closedAtAsOf(deals: DealSet, i: number, at: number): number {
  const code = stageAsOf(deals, i, at);
  if (code < 0 || deals.stages[code]!.closed === null) return Number.NaN;
  const start = deals.stageOffsets[i]!;
  const end = deals.stageOffsets[i + 1]!;
  // The first change into a closed stage that is still in force on `at`.
  let closedSince = Number.NaN;
  for (let s = start; s < end && deals.stageAt[s]! <= at; s++) {
    const isClosed = deals.stages[deals.stageCode[s]!]!.closed !== null;
    if (isClosed && Number.isNaN(closedSince)) closedSince = deals.stageAt[s]!;
    else if (!isClosed) closedSince = Number.NaN;
  }
  if (Number.isNaN(closedSince)) closedSince = deals.closedAt[i]!;
  return Number.isNaN(closedSince) ? deals.openedAt[i]! : closedSince;
}
