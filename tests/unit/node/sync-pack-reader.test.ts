import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../../node/services/sync/object-store';
import { PackReader } from '../../../node/services/sync/pack-reader';

/*
 * The desktop reads what a join or a fetch brought straight from git's packs
 * (./pack-reader.ts). Every object of a repository packed by git itself —
 * whole objects, and deltas on deltas (aggressive packing makes long chains)
 * — must read back byte for byte as `git cat-file` gives it, and a pack
 * changed on disk must fail to read rather than give other bytes.
 */

const hasGit = (() => {
  try {
    execFileSync('git', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

const git = (dir: string, args: string[], input?: string) =>
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { input, maxBuffer: 64 * 1024 * 1024 });

describe.skipIf(!hasGit)('reading packed objects', () => {
  let root: string;
  let repo: string;
  let oids: string[];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gazette-pack-reader-'));
    chmodSync(root, 0o755);
    repo = join(root, 'repo');
    execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
    // Forty versions of one article and of a few notes, in one git fast-import: git deltas each version on another.
    const stream: string[] = [];
    for (let version = 1; version <= 40; version++) {
      const paragraphs = Array.from({ length: 30 }, (_, i) => `第${i + 1}段：区政府召开常务会议，研究部署当前重点工作。${i === version % 30 ? `（修改 ${version}）` : ''}`);
      const files: Array<[string, string]> = [
        ['article.json', `${JSON.stringify({ version, paragraphs }, null, 2)}\n`],
        [`note-${version % 7}.txt`, `note ${version}\n`.repeat(version)],
      ];
      stream.push(`commit refs/heads/main\ncommitter t <t@t> ${1_796_000_000 + version} +0800\ndata 1\n${version % 10}\n`);
      for (const [path, text] of files) stream.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
    }
    git(repo, ['fast-import', '--quiet'], stream.join(''));
    git(repo, ['repack', '-a', '-d', '-f', '--depth=50', '--window=50', '--quiet']);
    oids = git(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']).toString().trim().split('\n');
  }, 60_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads every object git packed, deltas included, as git cat-file gives it', async () => {
    const deltas = git(repo, ['verify-pack', '-v', ...readdirSync(join(repo, '.git', 'objects', 'pack')).filter((n) => n.endsWith('.idx')).map((n) => join(repo, '.git', 'objects', 'pack', n))])
      .toString()
      .split('\n')
      .filter((line) => /^[0-9a-f]{40} +\w+ +\d+ \d+ \d+ \d+ [0-9a-f]{40}$/.test(line));
    // The test means something only if git did make delta chains.
    expect(deltas.length).toBeGreaterThan(20);
    const reader = new PackReader(join(repo, '.git'));
    const store = new ObjectStore(join(repo, '.git'));
    // Every object as git gives it, from one `git cat-file --batch`.
    const batch = git(repo, ['cat-file', '--batch'], `${oids.join('\n')}\n`);
    let at = 0;
    for (const oid of oids) {
      const newline = batch.indexOf(0x0a, at);
      const [, type, size] = batch.toString('latin1', at, newline).split(' ');
      const bytes = batch.subarray(newline + 1, newline + 1 + Number(size));
      at = newline + 1 + Number(size) + 1;
      const packed = reader.read(oid);
      expect(packed?.type).toBe(type);
      expect(packed?.data.equals(bytes)).toBe(true);
      expect((await store.read(oid)).data.equals(bytes)).toBe(true);
    }
    expect(reader.read('0'.repeat(40))).toBeNull();
  });

  it('refuses an object whose packed bytes were changed on disk', () => {
    const copy = join(root, 'damaged');
    execFileSync('git', ['clone', '--quiet', '--bare', '--no-local', repo, copy]);
    const packDir = join(copy, 'objects', 'pack');
    const packName = readdirSync(packDir).find((n) => n.endsWith('.pack'))!;
    const pack = readFileSync(join(packDir, packName));
    const blob = git(repo, ['rev-parse', 'main:article.json']).toString().trim();
    // Find the stored object's bytes, then change one byte inside its compressed data.
    const line = git(copy, ['verify-pack', '-v', join(packDir, packName.replace(/\.pack$/, '.idx'))])
      .toString()
      .split('\n')
      .find((l) => l.startsWith(blob))!;
    const [, , , stored, offset] = line.split(/\s+/).map((v) => v);
    const at = Number(offset) + Math.floor(Number(stored) / 2);
    chmodSync(join(packDir, packName), 0o644);
    pack[at] = pack[at]! ^ 0x01;
    writeFileSync(join(packDir, packName), pack);
    expect(() => new PackReader(copy).read(blob)).toThrow();
  });
});
