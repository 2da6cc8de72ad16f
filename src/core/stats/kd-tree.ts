/**
 * A static k-d tree over points in a flat Float64Array (point p at coords[p*d … p*d+d-1]), laid out implicitly:
 * the node of range [lo, hi) sits at mid = (lo + hi) >> 1 of the permutation, its children are [lo, mid) and
 * [mid+1, hi), and the split axis cycles with depth. Points can be removed (matching without replacement):
 * `alive` counts per subtree let a query skip emptied branches.
 */
export class KdTree {
  private readonly perm: Int32Array;
  private readonly alive: Int32Array;
  private readonly removed: Uint8Array;
  private readonly bestD: Float64Array;
  private readonly bestP: Int32Array;
  private count = 0;
  private bound = 0;
  private query: Float64Array = new Float64Array(0);
  private queryOffset = 0;

  /**
   * @param coords point coordinates, d per point
   * @param tieKey per point, a key that breaks distance ties (lower wins), e.g. the unit index
   */
  constructor(
    private readonly coords: Float64Array,
    private readonly d: number,
    private readonly tieKey: Int32Array,
    maxK: number,
  ) {
    const n = tieKey.length;
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.alive = new Int32Array(n);
    this.removed = new Uint8Array(n);
    this.bestD = new Float64Array(maxK);
    this.bestP = new Int32Array(maxK);
    this.build(0, n, 0);
  }

  get size(): number {
    return this.perm.length;
  }

  /** Points not yet removed. */
  get liveCount(): number {
    return this.perm.length === 0 ? 0 : this.alive[this.perm.length >> 1]!;
  }

  private build(lo: number, hi: number, depth: number): void {
    if (hi <= lo) return;
    const mid = (lo + hi) >> 1;
    this.alive[mid] = hi - lo;
    if (hi - lo === 1) return;
    this.select(lo, hi - 1, mid, depth % this.d);
    this.build(lo, mid, depth + 1);
    this.build(mid + 1, hi, depth + 1);
  }

  /** Hoare-style quickselect: afterwards perm[k] holds the k-th smallest on `axis` within [lo, hi]. */
  private select(lo: number, hi: number, k: number, axis: number): void {
    const { perm, coords, d } = this;
    while (hi > lo) {
      const pivot = coords[perm[(lo + hi) >> 1]! * d + axis]!;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (coords[perm[i]! * d + axis]! < pivot) i++;
        while (coords[perm[j]! * d + axis]! > pivot) j--;
        if (i <= j) {
          const t = perm[i]!;
          perm[i] = perm[j]!;
          perm[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /**
   * Finds up to k live points nearest to query[offset … offset+d-1] with squared distance ≤ maxSquared,
   * ties broken by tieKey. Writes point ids into `outPoints` and squared distances into `outD`; returns the count.
   */
  nearest(
    query: Float64Array,
    offset: number,
    k: number,
    maxSquared: number,
    outPoints: Int32Array,
    outD: Float64Array,
  ): number {
    this.count = 0;
    this.bound = maxSquared;
    this.query = query;
    this.queryOffset = offset;
    this.search(0, this.perm.length, 0, k);
    for (let i = 0; i < this.count; i++) {
      outPoints[i] = this.bestP[i]!;
      outD[i] = this.bestD[i]!;
    }
    return this.count;
  }

  private search(lo: number, hi: number, depth: number, k: number): void {
    if (hi <= lo) return;
    const mid = (lo + hi) >> 1;
    if (this.alive[mid] === 0) return;
    const { coords, d, query, queryOffset } = this;
    const p = this.perm[mid]!;
    if (!this.removed[p]) {
      let dist = 0;
      for (let a = 0; a < d; a++) {
        const diff = coords[p * d + a]! - query[queryOffset + a]!;
        dist += diff * diff;
      }
      if (dist <= this.bound) this.offer(p, dist, k);
    }
    if (hi - lo === 1) return;
    const axis = depth % d;
    const diff = query[queryOffset + axis]! - coords[p * d + axis]!;
    if (diff < 0) {
      this.search(lo, mid, depth + 1, k);
      if (diff * diff <= this.bound) this.search(mid + 1, hi, depth + 1, k);
    } else {
      this.search(mid + 1, hi, depth + 1, k);
      if (diff * diff <= this.bound) this.search(lo, mid, depth + 1, k);
    }
  }

  /** Inserts a candidate into the sorted best list (by distance, then tie key). */
  private offer(p: number, dist: number, k: number): void {
    const { bestD, bestP, tieKey } = this;
    const key = tieKey[p]!;
    let i = this.count;
    if (i === k) {
      const lastD = bestD[k - 1]!;
      if (dist > lastD || (dist === lastD && key > tieKey[bestP[k - 1]!]!)) return;
      i = k - 1;
    } else {
      this.count++;
    }
    while (i > 0 && (bestD[i - 1]! > dist || (bestD[i - 1] === dist && tieKey[bestP[i - 1]!]! > key))) {
      bestD[i] = bestD[i - 1]!;
      bestP[i] = bestP[i - 1]!;
      i--;
    }
    bestD[i] = dist;
    bestP[i] = p;
    if (this.count === k) this.bound = Math.min(this.bound, bestD[k - 1]!);
  }

  /** Removes point p so later queries skip it. */
  remove(p: number): void {
    if (this.removed[p]) return;
    this.removed[p] = 1;
    // Find p's node position by walking down; positions are found through a reverse index built lazily.
    const pos = this.positionOf(p);
    let lo = 0;
    let hi = this.perm.length;
    for (;;) {
      const mid = (lo + hi) >> 1;
      this.alive[mid]! -= 1;
      if (mid === pos) return;
      if (pos < mid) hi = mid;
      else lo = mid + 1;
    }
  }

  private reverse: Int32Array | undefined;
  private positionOf(p: number): number {
    if (!this.reverse) {
      this.reverse = new Int32Array(this.perm.length);
      for (let i = 0; i < this.perm.length; i++) this.reverse[this.perm[i]!] = i;
    }
    return this.reverse[p]!;
  }
}
