/** The matrix's model scenarios (quality, drift, data quality, replicas, the stationary day): see matrix-suite.ts. */
import { matrixSuite } from './matrix-suite.js';

matrixSuite('model', ['1', '2', '3', '4', '5', '9', '10', '13']);
