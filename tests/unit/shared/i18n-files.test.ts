import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MESSAGES_DIR = join(__dirname, '../../../shared/i18n/messages');

const kebab = (segment: string) => segment.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The file a key belongs in: named after its first segment in kebab case
 * (`editorScreen.save.saving` → editor-screen.ts), or after its first two when
 * such a file exists (`proof.finding.*` → proof-finding.ts, the rest of
 * `proof.*` → proof.ts). No list of exceptions: a new prefix needs a new file.
 */
function expectedFile(key: string, files: ReadonlySet<string>): string | null {
  const [first = '', second] = key.split('.');
  const both = second === undefined ? null : `${kebab(first)}-${kebab(second)}`;
  if (both && files.has(both)) return both;
  return files.has(kebab(first)) ? kebab(first) : null;
}

describe('i18n message files', () => {
  const names = readdirSync(MESSAGES_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => basename(file, '.ts'));
  const files = new Set(names);

  it.each(names)('%s.ts holds only keys whose prefix names it', async (name) => {
    const table = (await import(join(MESSAGES_DIR, `${name}.ts`))).default as Record<string, Record<string, string>>;
    const misplaced = Object.keys(table['zh-CN'] ?? {})
      .map((key) => ({ key, belongsIn: expectedFile(key, files) }))
      .filter(({ belongsIn }) => belongsIn !== name);
    expect(misplaced).toEqual([]);
  });
});
