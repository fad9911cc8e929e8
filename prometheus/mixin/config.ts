/**
 * The mixin configuration: prometheus/mixin.config.json, validated. Rules, the PrometheusRule and the
 * dashboards are all generated from it, so the job selector, the labels kept in aggregations, the
 * runbook links and every threshold are spelled once (as monitoring mixins do with `_config`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const MIXIN_CONFIG_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'mixin.config.json');

/** A Prometheus duration as the rules write it: 30s, 5m, 1h, 1d. */
const duration = z.string().regex(/^\d+[smhdw]$/, 'a duration such as 5m, 1h or 1d');
const ratio = z.number().gt(0).lt(1);
const labelName = z.string().regex(/^[a-zA-Z_]\w*$/);

const burnWindow = z.object({ long: duration, short: duration, factor: z.number().positive() }).strict();
const burnTier = z.object({ for: duration, windows: z.array(burnWindow).min(1) }).strict();

export const mixinConfigSchema = z
  .object({
    $comment: z.string().optional(),
    /** Matchers every sidecar series is selected with, e.g. `job="modelwatch"`. */
    selector: z.array(z.string().min(1)).min(1),
    /** Labels that tell deployments apart; every aggregation keeps them. */
    deploymentLabels: z.array(labelName).min(1),
    /** Labels that tell replicas of one deployment apart. */
    replicaLabels: z.array(labelName).min(1),
    runbookUrlBase: z.string().url(),
    slo: z
      .object({
        periodDays: z.number().positive(),
        errors: z.object({ objective: ratio, badSelector: z.string().min(1) }).strict(),
        latency: z.object({ objective: ratio, thresholdBucket: z.string().regex(/^\d+(\.\d+)?$/) }).strict(),
        minRequests: z.number().int().positive(),
        page: burnTier,
        ticket: burnTier,
      })
      .strict(),
    drift: z.object({ range: duration, for: duration, minDriftedShare: ratio, keepFiringFor: duration, conceptDriftRange: duration }).strict(),
    quality: z
      .object({
        for: duration,
        keepFiringFor: duration,
        minSamples: z.number().int().positive(),
        margin: ratio,
        perClassMargin: ratio,
        errorMargin: z.number().positive(),
        higherIsBetter: z.array(labelName).min(1),
        perClass: z.array(labelName).min(1),
        lowerIsBetter: z.array(labelName).min(1),
        minDisparateImpact: ratio,
        maxFairnessDifference: ratio,
      })
      .strict(),
    labelJoin: z.object({ range: duration, history: duration, minRequests: z.number().int().positive() }).strict(),
    dataQuality: z
      .object({
        range: duration,
        for: duration,
        minRecords: z.number().int().positive(),
        missingRatio: ratio,
        outOfRangeRatio: ratio,
        newCategoryRatio: ratio,
        schemaViolationRatio: ratio,
      })
      .strict(),
    sidecar: z
      .object({
        logStalledAfter: duration,
        logStalledMinLinesBefore: z.number().int().positive(),
        parseErrorRatio: ratio,
        minLogLines: z.number().int().positive(),
        sourceNoFilesFor: duration,
        checkpointMaxAgeSeconds: z.number().int().positive(),
      })
      .strict(),
    resources: z.object({ gpuMemoryRatio: ratio, memoryLimitRatio: ratio, oomRange: duration }).strict(),
  })
  .strict();

export type MixinConfig = z.infer<typeof mixinConfigSchema>;
export type BurnTier = MixinConfig['slo']['page'];

/** Reads and validates a mixin config; the error names the offending key. */
export function loadMixinConfig(file = MIXIN_CONFIG_FILE): MixinConfig {
  const parsed = mixinConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${file}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** 1 − objective, rounded so 1 − 0.995 prints as 0.005 rather than 0.0050000000000000044. */
export function errorBudget(objective: number): number {
  return Number((1 - objective).toPrecision(10));
}
