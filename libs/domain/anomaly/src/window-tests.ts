import type { Direction } from './alert-lifecycle';
import type { DetectorParams } from './detector-params';
import type { WindowSums } from './recent-windows';
import type { Baseline } from './seasonal-history';

/**
 * The two statistical tests one window of one series faces; the detector decides which windows and
 * series to test and what to do with a verdict.
 */

/**
 * Intensity: cost per request against the same hour of past weeks, cell by cell. The window's excess
 * over the usual cost of the calls made, or 0 when it is not significant (or not an intensity window).
 */
export function intensityExcess(
  sums: WindowSums,
  minutes: number,
  direction: Direction,
  p: DetectorParams,
): number {
  if (direction !== 'up' || !p.intensityWindowsMinutes.includes(minutes)) return 0;
  const observed = sums.nanos;
  const significant =
    (sums.ix * 60) / minutes >= p.minImpactPerHourNanos &&
    observed >= p.spikeRatio * (observed - sums.ix) &&
    sums.ix >= p.noiseZ * Math.sqrt(sums.iv + sums.im ** 2);
  return significant ? sums.ix : 0;
}

/**
 * Spend: the window's total against its seasonal baseline, above k x baseline (or below, for drops),
 * above the dollar floor and above the noise. The excess (nanos, positive) or undefined.
 */
export function spendExcess(
  sums: WindowSums,
  minutes: number,
  direction: Direction,
  baseline: Baseline,
  p: DetectorParams,
): number | undefined {
  const observed = sums.nanos;
  // compound Poisson: the variance of a window's spend is the sum of its squared call costs (scaled
  // to the baseline's volume), so a few expensive calls are noisier than many cheap ones
  const callVariance =
    observed > 0 ? sums.sq * 1e18 * (Math.max(baseline.nanos, observed / p.spikeRatio) / observed) : 0;
  const noise = Math.sqrt(callVariance + (1.4826 * baseline.mad) ** 2);
  const excess = direction === 'up' ? observed - baseline.nanos : baseline.nanos - observed;
  const ratioOk =
    direction === 'up' ? observed >= p.spikeRatio * baseline.nanos : observed <= p.dropRatio * baseline.nanos;
  const significant =
    ratioOk &&
    (excess * 60) / minutes >= p.minImpactPerHourNanos &&
    excess >= (minutes > 15 ? p.longNoiseZ : p.noiseZ) * noise;
  return significant ? excess : undefined;
}
