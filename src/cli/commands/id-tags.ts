// `voltgate id-tags import FILE` and `voltgate id-tags export [FILE]`: the whitelist as CSV, through the REST
// API of a running server and never the database directly, so the server's in-memory decision table stays
// coherent with what it stores. The file is checked here first (same rules as the server) to fail fast.
import { readFile, rename, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Command } from 'commander';
import { readIdTagCsv, type CsvLineError } from '../../api/id-tag-csv.js';
import { progressLine } from './progress.js';

interface ServerOptions {
  url: string;
  apiKey?: string;
  dataDir: string;
}

/** A failure already explained on stderr: exit 1 without another message. */
class Reported extends Error {}

function withServerOptions(command: Command): Command {
  return command
    .option('--url <url>', 'base URL of the running Voltgate server', 'http://127.0.0.1:8080')
    .option('--api-key <key>', 'operator key (default: env VOLTGATE_API_KEY, else the file <data-dir>/operator-key)')
    .option('--data-dir <dir>', 'data folder of the server, where it keeps the operator key (env VOLTGATE_DATA_DIR)', process.env.VOLTGATE_DATA_DIR ?? './data');
}

async function apiKeyOf(options: ServerOptions): Promise<string> {
  if (options.apiKey) return options.apiKey;
  if (process.env.VOLTGATE_API_KEY) return process.env.VOLTGATE_API_KEY;
  const file = join(options.dataDir, 'operator-key');
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (key) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  throw new Error(`no operator key: pass --api-key, set VOLTGATE_API_KEY, or point --data-dir at the server's data folder (${file} not found)`);
}

async function request(options: ServerOptions, path: string, init: RequestInit = {}): Promise<Response> {
  const url = `${options.url.replace(/\/+$/, '')}${path}`;
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await apiKeyOf(options)}`);
  try {
    return await fetch(url, { ...init, headers });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
    throw new Error(`cannot reach the server at ${options.url} (${cause}); is \`voltgate serve\` running there?`);
  }
}

function printLineErrors(errors: readonly CsvLineError[]): void {
  for (const error of errors) process.stderr.write(`line ${error.line}: ${error.message}\n`);
}

/** An answer that is not 2xx: its lines when the server named them, else its code and message. */
async function failure(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: CsvLineError[] } } | null;
  const error = body?.error;
  if (error?.details?.length) {
    printLineErrors(error.details);
    // The message starts with the count of invalid lines, which details may list only the first of.
    process.stderr.write(`nothing was imported: ${error.message?.split(':')[0] ?? 'the file is invalid'}\n`);
    return new Reported();
  }
  const hint = response.status === 401 ? ' (wrong operator key?)' : '';
  return new Error(`the server answered ${response.status} ${error?.code ?? ''}: ${error?.message ?? response.statusText}${hint}`);
}

async function importTags(file: string, options: ServerOptions): Promise<void> {
  const progress = progressLine();
  progress.update(`reading ${file}`);
  const text = await readFile(file, 'utf8');
  const lines = text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
  progress.update(`validating ${lines} lines of ${file}`);
  const checked = readIdTagCsv(text);
  if (!checked.ok) {
    progress.done();
    printLineErrors(checked.errors);
    const invalid = new Set(checked.errors.map((e) => e.line)).size;
    process.stderr.write(`nothing was imported: ${invalid} of ${lines} lines are invalid\n`);
    throw new Reported();
  }
  progress.update(`uploading ${checked.tags.length} tags to ${options.url}`);
  const response = await request(options, '/api/v1/id-tags/import', {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8' },
    body: text,
  });
  progress.done();
  if (!response.ok) throw await failure(response);
  const result = (await response.json()) as { imported: number; created: number; updated: number };
  process.stderr.write(`imported ${result.imported} tags: ${result.created} created, ${result.updated} updated\n`);
}

/** Counts records in streamed CSV: a line break outside quotes ends one (a doubled quote toggles twice). */
function recordCounter(): Transform & { records: number } {
  let quoted = false;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (const byte of chunk) {
        if (byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) counter.records++;
      }
      done(null, chunk);
    },
  }) as Transform & { records: number };
  counter.records = 0;
  return counter;
}

async function exportTags(file: string | undefined, options: ServerOptions): Promise<void> {
  const progress = progressLine();
  progress.update(`exporting ID tags from ${options.url}`);
  const response = await request(options, '/api/v1/id-tags/export.csv');
  if (!response.ok || !response.body) {
    progress.done();
    throw await failure(response);
  }
  const counter = recordCounter();
  const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  if (file === undefined) {
    await pipeline(source, counter, process.stdout, { end: false });
  } else {
    // Written aside and renamed when complete: a failed export never leaves a truncated file under the name.
    const partial = `${file}.part`;
    try {
      await pipeline(source, counter, createWriteStream(partial));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }
  progress.done();
  process.stderr.write(`exported ${Math.max(0, counter.records - 1)} tags${file === undefined ? '' : ` to ${file}`}\n`);
}

/** Runs an action; a failure already printed exits 1 quietly, any other goes to voltgate.ts's handler. */
const run =
  <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
  async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof Reported)) throw error;
      process.exitCode = 1;
    }
  };

export function idTagsCommand(): Command {
  const command = new Command('id-tags').description('import or export the ID tag whitelist of a running server, as CSV, through its REST API');
  command.addCommand(
    withServerOptions(
      new Command('import')
        .description(
          'import ID tags from a CSV file (header: idTag,status,expiryDate,parentIdTag,maxActiveTransactions,label in any order; ' +
            'idTag and status required). All or nothing: every line is checked first and one invalid line imports nothing.',
        )
        .argument('<file>', 'CSV file (UTF-8), e.g. one written by `voltgate id-tags export`'),
    ).action(run((file: string, options: ServerOptions) => importTags(file, options))),
  );
  command.addCommand(
    withServerOptions(
      new Command('export').description('export every ID tag as CSV (the file imports back as it is)').argument('[file]', 'file to write (default: standard output)'),
    ).action(run((file: string | undefined, options: ServerOptions) => exportTags(file, options))),
  );
  return command;
}
