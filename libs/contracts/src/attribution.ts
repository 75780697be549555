/**
 * Attribution words every stage shares, defined once: the team a call without a resolvable owner is
 * booked to (chargeback shows it as its own line), and how strictly a missing owner is treated.
 */
export const UNATTRIBUTED = 'unattributed';

/** `soft`: book a call without an owner to UNATTRIBUTED; `hard`: quarantine it (MISSING_OWNER). */
export type Enforcement = 'soft' | 'hard';
