import type { Decomposition, Driver, Factor } from './decomposition';
import type { SeriesScope } from './series';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Display dollars for words only (the alert carries exact nanos); rounded to cents. */
export function usd(nanos: number): string {
  const cents = Math.round(Math.abs(nanos) / 10_000_000);
  const whole = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${whole}.${(cents % 100).toString().padStart(2, '0')}`;
}

function cause(factor: Factor, increase: boolean): string {
  switch (factor) {
    case 'traffic':
      return increase ? 'more requests' : 'fewer requests';
    case 'prompt_size':
      return increase ? 'bigger prompts' : 'smaller prompts';
    case 'output_size':
      return increase ? 'longer answers' : 'shorter answers';
    case 'model_mix':
      return increase ? 'a shift to a pricier model' : 'a shift to a cheaper model';
    case 'price':
      return increase ? 'a higher price per token' : 'a lower price per token';
    case 'retries':
      return increase ? 'retries and fallbacks' : 'fewer retries';
    case 'new_entity':
      return 'spend with no history';
  }
}

function carrier(driver: Driver): string {
  const name =
    driver.factor === 'new_entity'
      ? `new ${driver.dimension} ${driver.key}`
      : driver.dimension === 'model'
        ? `model ${driver.key}`
        : `${driver.dimension} ${driver.key}`;
  return driver.template ? `${name} since template ${driver.template}` : name;
}

/** A driver in words, e.g. "bigger prompts in workflow weekly-digest since template v7". */
export function driverPhrase(driver: Driver): string {
  return `${cause(driver.factor, driver.nanos > 0)} in ${carrier(driver)}`;
}

function scopeName(scope: SeriesScope, teamName: string): string {
  return scope.dimension === 'team' ? teamName : `${teamName} ${scope.dimension} ${scope.value}`;
}

/**
 * The alert in a sentence a finance reader understands, e.g. "Analytics +$412.00 in the hour to 14:00
 * UTC vs a usual Tuesday: 91% from bigger prompts in workflow weekly-digest since template v7".
 */
export function describe(
  scope: SeriesScope,
  teamName: string,
  decomposition: Decomposition,
  windowStart: number,
  windowEnd: number,
): string {
  const { delta_nanos: delta, primary } = decomposition;
  const minutes = Math.round((windowEnd - windowStart) / 60_000);
  const end = new Date(windowEnd);
  const hhmm = `${String(end.getUTCHours()).padStart(2, '0')}:${String(end.getUTCMinutes()).padStart(2, '0')}`;
  const window = minutes >= 60 ? `in the hour to ${hhmm} UTC` : `in the ${minutes} minutes to ${hhmm} UTC`;
  const head = `${scopeName(scope, teamName)} ${delta >= 0 ? '+' : '-'}${usd(delta)} ${window} vs a usual ${WEEKDAYS[end.getUTCDay()]}`;
  if (!primary || delta === 0) return head;
  const share = Math.round(Math.abs(primary.share_bp) / 100);
  return `${head}: ${share}% from ${driverPhrase(primary)}`;
}
