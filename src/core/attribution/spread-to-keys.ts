import type { JourneyTable } from "./journey-table.ts";

/**
 * Moves per-channel credit onto the caller's keys (event, campaign) for the channel-level models (markov,
 * shapley): a channel's conversion credit is split over its touches in proportion to the conversions of the
 * journeys they sit in, its value credit in proportion to those journeys' value. A channel whose touches sit
 * only in journeys with 0 conversions (markov can still credit it) splits by touch count instead.
 * Returns arrays indexed like `table.keys`; when keyBy is "channel" it returns the inputs unchanged.
 */
export function spreadChannelCredit(
  table: JourneyTable,
  channelConversions: Float64Array,
  channelValue: Float64Array,
): { conversions: Float64Array; value: Float64Array } {
  if (table.touchKey === table.touchChannel) return { conversions: channelConversions, value: channelValue };
  const nKeys = table.keys.length;
  const nCh = table.channels.length;
  const cells = new Map<number, { c: number; v: number; n: number }>();
  const chC = new Float64Array(nCh);
  const chV = new Float64Array(nCh);
  const chN = new Float64Array(nCh);
  for (let j = 0; j < table.journeyCount; j++) {
    const c = table.conversions[j]!;
    const v = table.value[j]!;
    for (let t = table.offsets[j]!; t < table.offsets[j + 1]!; t++) {
      const ch = table.touchChannel[t]!;
      const id = ch * nKeys + table.touchKey[t]!;
      let cell = cells.get(id);
      if (cell === undefined) {
        cell = { c: 0, v: 0, n: 0 };
        cells.set(id, cell);
      }
      cell.c += c;
      cell.v += v;
      cell.n += 1;
      chC[ch]! += c;
      chV[ch]! += v;
      chN[ch]! += 1;
    }
  }
  const conversions = new Float64Array(nKeys);
  const value = new Float64Array(nKeys);
  for (const [id, cell] of cells) {
    const ch = Math.floor(id / nKeys);
    const key = id - ch * nKeys;
    const shareC = chC[ch]! > 0 ? cell.c / chC[ch]! : cell.n / chN[ch]!;
    const shareV = chV[ch]! > 0 ? cell.v / chV[ch]! : shareC;
    conversions[key]! += channelConversions[ch]! * shareC;
    value[key]! += channelValue[ch]! * shareV;
  }
  return { conversions, value };
}
