/** The matrix's service scenarios (errors, latency, labels, logs, namespaces, resources): see matrix-suite.ts. */
import { matrixSuite } from './matrix-suite.js';

matrixSuite('service', ['6', '7', '8', '11', '12a', '12b', '14', '15']);
