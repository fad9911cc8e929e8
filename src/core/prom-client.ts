/**
 * The parts of prom-client modelwatch uses, each imported from its own file. prom-client's index
 * also loads its Pushgateway (node's http, https and zlib), Summary (tdigest) and cluster
 * aggregator: 2.7 MiB of resident memory at start-up, in every process, for classes modelwatch never
 * constructs (docs/performance.md, "The floor"). Import prom-client's types from 'prom-client' as
 * usual; import its classes from here.
 */
export { default as Registry } from 'prom-client/lib/registry.js';
export { default as Counter } from 'prom-client/lib/counter.js';
export { default as Gauge } from 'prom-client/lib/gauge.js';
