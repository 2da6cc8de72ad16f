import { AppError } from "../errors.ts";

/**
 * Inverts the n×n row-major matrix `a` by Gauss–Jordan elimination with partial pivoting (exact up to floating
 * point; no iteration). Throws AppError("internal") on a singular matrix.
 */
export function invertMatrix(a: Float64Array, n: number): Float64Array {
  const w = 2 * n;
  const m = new Float64Array(n * w); // [a | I]
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * w + j] = a[i * n + j]!;
    m[i * w + n + i] = 1;
  }
  eliminate(m, n, w);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inv[i * n + j] = m[i * w + n + j]!;
  return inv;
}

/** Solves a·x = b for the n×n row-major matrix `a` by Gaussian elimination with partial pivoting. */
export function solveLinearSystem(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const w = n + 1;
  const m = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * w + j] = a[i * n + j]!;
    m[i * w + n] = b[i]!;
  }
  eliminate(m, n, w);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = m[i * w + n]!;
  return x;
}

/** Reduces the left n×n block of the n×w augmented matrix to the identity, in place. */
function eliminate(m: Float64Array, n: number, w: number): void {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(m[col * w + col]!);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(m[r * w + col]!);
      if (v > best) {
        best = v;
        pivot = r;
      }
    }
    if (!(best > 1e-300)) throw new AppError("internal", `singular matrix at column ${col}`);
    if (pivot !== col) {
      for (let j = 0; j < w; j++) {
        const tmp = m[col * w + j]!;
        m[col * w + j] = m[pivot * w + j]!;
        m[pivot * w + j] = tmp;
      }
    }
    const inv = 1 / m[col * w + col]!;
    for (let j = col; j < w; j++) m[col * w + j]! *= inv;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * w + col]!;
      if (f === 0) continue;
      for (let j = col; j < w; j++) m[r * w + j]! -= f * m[col * w + j]!;
    }
  }
}
