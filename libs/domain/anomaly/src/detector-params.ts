import type { LifecycleParams } from './alert-lifecycle';
import { MINUTE_MS, type BaselineParams } from './seasonal-history';

/** What the detector is tuned by; the service reads each from its environment (ANOMALY_*). */
export interface DetectorParams extends BaselineParams, LifecycleParams {
  /** Sliding windows evaluated at every closed minute, in minutes (short ones catch a spike fast). */
  windowsMinutes: number[];
  /** A spike: observed >= spikeRatio x baseline ... */
  spikeRatio: number;
  /** ... and the excess, projected to an hour, >= this many nano-USD (nobody is paged for cents). */
  minImpactPerHourNanos: number;
  /** ... and the excess >= noiseZ x the noise of the window (Poisson on calls plus weekly spread). */
  noiseZ: number;
  /**
   * noiseZ of the spend test on windows longer than 15 minutes: an hour's total drifts more than its
   * calls and weekly spread say (growth, a busy afternoon), and it is judged sixty times an hour.
   */
  longNoiseZ: number;
  /**
   * Windows (minutes) of the intensity test: cost per request, cell by cell and by model mix, against
   * the same hour of past weeks, with the same ratio, impact floor and noiseZ.
   */
  intensityWindowsMinutes: number[];
  /** Least per-call spread of a cell's cost the intensity test assumes, as a fraction of its usual cost. */
  unitCostCvFloor: number;
  /** A drop: observed <= dropRatio x baseline over one of dropWindowsMinutes, with the same impact floor. */
  dropRatio: number;
  /** Windows a drop is judged over, in minutes, at every closed minute. */
  dropWindowsMinutes: number[];
  /** How long after a minute ends calls for it are still counted (event time); later ones are late. */
  latenessMs: number;
  /** A team with no call for this long behind the instance's clock is closed up to there (0: never). */
  idleCloseMs: number;
  /**
   * A partition that reached its high watermark stops holding event time after this long without a
   * new batch (wall clock of the transport: records written meanwhile are fetched within it).
   */
  partitionIdleMs: number;
}

export const DEFAULT_DETECTOR_PARAMS: DetectorParams = {
  weeks: 4,
  minWeeks: 2,
  jitterMs: 15 * MINUTE_MS,
  windowsMinutes: [5, 60],
  spikeRatio: 1.5,
  minImpactPerHourNanos: 20_000_000_000,
  noiseZ: 4,
  longNoiseZ: 5,
  intensityWindowsMinutes: [2, 5, 15],
  unitCostCvFloor: 0.25,
  dropRatio: 0.5,
  dropWindowsMinutes: [15, 60],
  latenessMs: 60_000,
  idleCloseMs: 10 * MINUTE_MS,
  partitionIdleMs: 2000,
  resolveAfterMinutes: 15,
  updateGrowth: 0.5,
  criticalPerHourNanos: 200_000_000_000,
};
