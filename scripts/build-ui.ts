// Builds the dashboard (src/ui) into dist/ui with Vite. `npm start` and `npm test` run it first; it does
// nothing when the build is newer than every source file, so a start costs a build only after a change.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = join(root, 'src/ui');
const built = join(root, 'dist/ui/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number | null {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return null;
  }
}

const force = process.argv.includes('--force');
const at = builtAt();
if (!force && at !== null && at >= newestMtime(sources)) {
  console.log('dashboard: dist/ui is up to date');
} else {
  console.log('dashboard: building src/ui into dist/ui…');
  const started = Date.now();
  await build({ configFile: join(sources, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`dashboard: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
