export function rate(count: number, startedNs: bigint): string {
  const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
  return `${count.toLocaleString('en-US')} in ${seconds.toFixed(2)} s = ${Math.round(count / seconds).toLocaleString('en-US')}/s`;
}
