import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';

/** File name of the build record inside the output folder (a dot file, so deploys can skip it). */
export const MANIFEST_FILE = '.gazette-manifest.json';

export const StaticManifestSchema = z.object({
  format: z.literal('gazette/static-manifest'),
  version: z.literal(1),
  /** Site-relative path → sha256 (hex) of the file's bytes. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  /** Site-relative path → fingerprint of what the page was rendered from, so unchanged pages are not even rendered. */
  inputs: z.record(z.string(), z.string()).default({}),
});
/** What a static build wrote, so the next build can tell what changed. */
export type StaticManifest = z.infer<typeof StaticManifestSchema>;

/** The manifest a previous build left in `outDir`; null when there is none, 'damaged' when it cannot be read. */
export function readManifest(outDir: string): StaticManifest | null | 'damaged' {
  const file = join(outDir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = StaticManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : 'damaged';
  } catch {
    return 'damaged';
  }
}

/** Sorted keys, so the manifest itself is byte-identical for identical builds. */
function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] ?? '';
  return out;
}

/** Writes the manifest last, atomically: a crash mid-build leaves the old one, and the next build redoes the work. */
export function writeManifest(outDir: string, manifest: StaticManifest): void {
  const stable: StaticManifest = { ...manifest, files: sortedRecord(manifest.files), inputs: sortedRecord(manifest.inputs) };
  writeFileAtomic(join(outDir, MANIFEST_FILE), `${JSON.stringify(stable, null, 1)}\n`);
}

/**
 * The absolute file for a site-relative path, refusing anything that would
 * land outside the output folder (a hostile column slug or id must not write
 * to ../../somewhere).
 */
export function outputFile(outDir: string, sitePath: string): string {
  const root = resolve(outDir);
  const target = resolve(root, sitePath);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..') || resolve(root, rel) !== target) {
    throw new Error(`refusing to write outside the output folder: ${sitePath}`);
  }
  return target;
}

let tempCounter = 0;

/** Temp file + rename, so a reader (a web server, a sync job) never sees half a page. */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  tempCounter += 1;
  const temp = `${file}.${process.pid}.${tempCounter}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file may never have been created; the original error is what matters.
    }
    throw error;
  }
}

/** Deletes a file we wrote earlier, then any folders that became empty, up to (not including) outDir. */
export function removeOutputFile(outDir: string, sitePath: string): boolean {
  const file = outputFile(outDir, sitePath);
  let removed = false;
  try {
    unlinkSync(file);
    removed = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const root = resolve(outDir);
  let dir = dirname(file);
  while (dir !== root && dir.startsWith(root)) {
    try {
      if (readdirSync(dir).length > 0) break;
      rmdirSync(dir);
    } catch {
      break;
    }
    dir = dirname(dir);
  }
  return removed;
}
