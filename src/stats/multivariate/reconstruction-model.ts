/** A fitted data-reconstruction model (pca-reconstruction.ts fits it, reconstruction-scorer.ts scores records with it). */
import type { RecordEncoder } from './record-encoder.js';

/** JSON-safe: saved in the reference profile. */
export interface ReconstructionModel {
  method: 'pca_reconstruction';
  encoder: RecordEncoder;
  /** Column means of the encoded reference (the PCA centre). */
  centre: number[];
  /** Vₖ: the k principal axes, each of encoder.width values. */
  components: number[][];
  /**
   * The other d − k axes, kept when there are fewer of them than k: the error is then the length of
   * the record's projection on them, ‖(x − μ)V_restᵀ‖ (the same number, with fewer operations).
   */
  residualAxes?: number[][];
  /** Share of the encoded reference's variance the k components keep. */
  explainedVariance: number;
  /** Reconstruction error of the reference records: mean and population standard deviation. */
  referenceMean: number;
  referenceStd: number;
  /** The same, out of sample: each record scored by axes fitted on the other half of the reference. */
  heldOutMean: number;
  heldOutStd: number;
  /** Reference rows the model was fitted on. */
  rows: number;
}
