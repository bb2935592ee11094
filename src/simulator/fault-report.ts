// The lines `voltgate bench` adds to its report for failed calls, a fault and the ledger check.
import type { BenchResult } from './bench.js';

const count = (record: Record<string, number>) =>
  Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${n} ${code}`)
    .join(', ');
const s = (n: number | null, digits = 1) => (n === null ? 'n/a' : `${n.toFixed(digits)} s`);

export function formatFaultReport(result: BenchResult): string[] {
  const checked = result.fault !== null || result.ledger !== null;
  if (!checked && result.failures === 0 && (result.server?.running ?? true)) return [];
  const lines: string[] = [];
  const callErrors = count(result.callErrors);
  const lost = count(result.lostCalls);
  lines.push(
    `acknowledged        ${result.acknowledged} CALLs`,
    `CALLERRORs          ${callErrors || 'none'}`,
    `timeouts            ${result.timeouts}`,
  );
  if (lost) lines.push(`lost with the line  ${lost}`);
  lines.push(`without service     ${s(result.withoutService.seconds, 2)} at most (from ${s(result.withoutService.fromS)} to ${s(result.withoutService.toS)} into the window)`);
  const fault = result.fault;
  if (fault) {
    lines.push(
      `fault               ${fault.kind}: ${fault.description}`,
      `  began at          ${s(fault.startedAtS)}; database back at ${s(fault.databaseBackAtS)} (${fault.back ?? 'not back'})${fault.detail ? `: ${fault.detail}` : ''}`,
    );
    if (fault.error) lines.push(`  FAULT ERROR       ${fault.error}`);
    lines.push(
      `  service back      ${fault.serviceBackAfterS === null ? 'NOT by the end of the window' : `after ${fault.serviceBackAfterS.toFixed(3)} s`} (first acknowledged money-bearing CALL after the database was back)`,
    );
  }
  const server = result.server;
  if (server) {
    lines.push(
      server.running
        ? 'server process      still running'
        : `server process      EXITED (${server.signal ? `signal ${server.signal}` : `code ${server.exitCode}`}) at ${s(server.exitedAtS)}${server.exitedDuringFault ? ', during the fault' : ''}`,
    );
  }
  if (result.ledger) {
    lines.push(`ledger              acknowledged over the whole run: ${result.ledger.starts} starts, ${result.ledger.stops} stops, ${result.ledger.samples} meter values`);
  }
  if (result.verificationError) lines.push(`verification: COULD NOT RUN: ${result.verificationError}`);
  const v = result.verification;
  if (v) {
    lines.push(
      `  starts            ${v.starts.acknowledged - v.starts.missing - v.starts.mismatched} of ${v.starts.acknowledged} as sent${v.starts.missing ? `, ${v.starts.missing} MISSING` : ''}${v.starts.mismatched ? `, ${v.starts.mismatched} DIFFERENT` : ''}${v.starts.notUnique ? `, ${v.starts.notUnique} NOT UNIQUE` : ''}`,
      `  stops             ${v.stops.acknowledged - v.stops.missing - v.stops.mismatched} of ${v.stops.acknowledged} as sent${v.stops.missing ? `, ${v.stops.missing} MISSING` : ''}${v.stops.mismatched ? `, ${v.stops.mismatched} DIFFERENT` : ''}`,
      `  meter values      ${v.samples.acknowledged - v.samples.missing} of ${v.samples.acknowledged} found${v.samples.missing ? `, ${v.samples.missing} MISSING` : ''}; ${v.samples.storedMoreThanOnce} stored more than once (resent; reads collapse them)`,
      `  one row per start ${v.duplicateStarts === 0 ? 'yes' : `NO: ${v.duplicateStarts} starts stored more than once`}`,
      `  rows read         ${v.rows.transactions} transactions, ${v.rows.meterValues} meter values`,
      ...v.problems.map((p) => `  ! ${p}`),
      v.ok ? 'verification: OK' : 'verification: FAILED',
    );
  }
  return lines;
}
