/**
 * binIndex (./binning.ts: the number of edges below v) for one set of edges, looked up for every
 * value of a stream. A binary search over quantile edges takes an unpredictable branch per level
 * (values fall in every bin alike, by construction): ~3 mispredictions a value at 10 bins. Here a
 * uniform grid over [first edge, last edge] gives, per cell, the bins its two ends fall in; most
 * cells hold no edge, so the answer is read from the table, and a cell that holds edges is searched
 * between its two bins only. Then a check against the neighbouring edges makes the answer exactly
 * binIndex's whatever rounding did to the cell (it walks, so a cell's bins only need to be close).
 */
import { binIndex } from './binning.js';

/** Grid cells per bin: cells holding an edge are about 1 in this many. */
const CELLS_PER_BIN = 8;
const MAX_CELLS = 1 << 14;

export class BinLookup {
  private readonly edges: Float64Array;
  private readonly first: number;
  /** Cells per unit of value; 0 when the grid is unusable (fewer than two distinct edges, or a span that overflows). */
  private readonly scale: number;
  private readonly cells: number;
  /** Per cell c: binIndex of the value at its start; entry `cells` closes the last one. */
  private readonly starts: Int32Array;

  constructor(edges: Float64Array) {
    this.edges = edges;
    const n = edges.length;
    this.first = n > 0 ? edges[0] : 0;
    const span = n > 0 ? edges[n - 1] - this.first : 0;
    this.cells = Math.min(MAX_CELLS, CELLS_PER_BIN * (n + 1));
    const scale = this.cells / span;
    this.scale = span > 0 && Number.isFinite(scale) && scale > 0 ? scale : 0;
    this.starts = new Int32Array(this.cells + 1);
    for (let c = 0; c <= this.cells; c++) this.starts[c] = this.scale > 0 ? binIndex(edges, this.first + c / this.scale) : 0;
  }

  /** The bin of v (not NaN): the number of edges below it. */
  bin(v: number): number {
    const edges = this.edges;
    if (this.scale === 0) return binIndex(edges, v);
    const n = edges.length;
    const x = (v - this.first) * this.scale;
    let i: number;
    if (x >= 0 && x < this.cells) {
      const c = x | 0;
      i = this.starts[c];
      let hi = this.starts[c + 1];
      // The cell's edges (none in most cells): the first not below v.
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (edges[mid] < v) i = mid + 1;
        else hi = mid;
      }
    } else i = v < this.first ? 0 : n;
    // Exactly binIndex: every edge before i below v, the one at i not.
    while (i < n && edges[i] < v) i++;
    while (i > 0 && !(edges[i - 1] < v)) i--;
    return i;
  }
}
