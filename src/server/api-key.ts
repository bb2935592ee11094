// The operator key: from the setting when given, else generated once, stored beside the data and printed once.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE_NAME = 'operator-key';

export async function resolveApiKey(
  configured: string | null,
  dataDir: string,
  announce: (key: string, file: string) => void,
): Promise<string> {
  if (configured) return configured;
  const file = join(dataDir, FILE_NAME);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(24).toString('base64url');
  // 'wx' so two processes starting at once cannot both write a different key.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const stored = (await readFile(file, 'utf8')).trim();
  if (stored === key) announce(key, file);
  return stored;
}
