// prom-client ships types for its index only; these give its per-class files the same types
// (src/core/prom-client.ts imports them one by one). Each file's module.exports is the class.
declare module 'prom-client/lib/registry.js' {
  export { Registry as default } from 'prom-client';
}
declare module 'prom-client/lib/counter.js' {
  export { Counter as default } from 'prom-client';
}
declare module 'prom-client/lib/gauge.js' {
  export { Gauge as default } from 'prom-client';
}
