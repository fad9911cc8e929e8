/**
 * binIndex (./binning.ts: the number of edges below v) for one set of edges, looked up for every
 * value of a stream. A binary search over quantile edges takes an unpredictable branch per level
 * (values fall in every bin alike, by construction): ~3 mispredictions a value at 10 bins. Here a
 * uniform grid over [first edge, last edge] says, per cell, which edges can lie in it; most cells
 * hold none, so the answer is read from the table, and a cell that holds edges is searched among
 * them only.
 *
 * Exact, not approximately so: the cell of a value is computed by one expression, cell(x) =
 * ⌊(x − first) · scale⌋ in floating point, which is non-decreasing in x. So an edge whose cell is
 * below v's is below v, and one whose cell is above v's is above v: the edges below v are those of
 * the lower cells (`firstOf[c]`) and some of v's own cell (up to `firstOf[c + 1]`), searched.
 */
import { binIndex } from './binning.js';

/** Grid cells per bin: about one cell in this many holds an edge. */
const CELLS_PER_BIN = 8;
const MAX_CELLS = 1 << 14;

export class BinLookup {
  private readonly edges: Float64Array;
  private readonly first: number;
  private readonly scale: number;
  /** Cells of the grid; 0 when it is unusable (fewer than two distinct edges, a span that overflows). */
  private readonly cells: number;
  /** Per cell c: the number of edges in cells below c (entry `cells` closes the last cell). */
  private readonly firstOf: Int32Array;

  constructor(edges: Float64Array) {
    this.edges = edges;
    const n = edges.length;
    this.first = n > 0 ? edges[0] : 0;
    const span = n > 0 ? edges[n - 1] - this.first : 0;
    const cells = Math.min(MAX_CELLS, CELLS_PER_BIN * (n + 1));
    const scale = cells / span;
    const usable = span > 0 && Number.isFinite(scale) && scale > 0;
    this.scale = usable ? scale : 0;
    this.cells = usable ? cells : 0;
    this.firstOf = new Int32Array(this.cells + 1);
    // Edges per cell (the last edge may round into cell `cells` or past it: counted in none below it).
    const perCell = new Int32Array(this.cells + 1);
    for (let j = 0; j < n && usable; j++) perCell[Math.min(this.cells, Math.floor((edges[j] - this.first) * this.scale))]++;
    for (let c = 1; c <= this.cells; c++) this.firstOf[c] = this.firstOf[c - 1] + perCell[c - 1];
  }

  /** The bin of v (not NaN): the number of edges below it. */
  bin(v: number): number {
    const x = (v - this.first) * this.scale;
    if (x >= 0 && x < this.cells) {
      const c = x | 0;
      const edges = this.edges;
      let lo = this.firstOf[c];
      let hi = this.firstOf[c + 1];
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (edges[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    // Below the first edge; past the last (or the grid is unusable).
    return v < this.first ? 0 : binIndex(this.edges, v);
  }
}
