import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { PublishError, toPublishError } from '../outbox/publish-error';
import { publishMessage } from '../outbox/messages';

/** Name of the manifest kept in the remote folder: path → sha256 of every file we uploaded. */
export const REMOTE_MANIFEST = '.gazette-manifest.json';

export interface SftpConnection {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  readyTimeoutMs?: number;
}

export interface DeployProgress {
  phase: 'upload' | 'rename' | 'delete';
  done: number;
  total: number;
  file: string;
}

export interface DeployResult {
  uploaded: string[];
  deleted: string[];
  unchanged: number;
}

type Manifest = Record<string, string>;

async function localManifest(root: string): Promise<Manifest> {
  const manifest: Manifest = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const path = relative(root, full).split(sep).join('/');
        manifest[path] = createHash('sha256').update(await readFile(full)).digest('hex');
      }
    }
  }
  await walk(root);
  return manifest;
}

function parseManifest(text: string): Manifest {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const files = (parsed as { files?: unknown }).files;
    if (typeof files !== 'object' || files === null) return {};
    return Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    // A damaged manifest only costs a full upload.
    return {};
  }
}

/**
 * Uploads a built site folder to `remoteDir`, only files whose content changed
 * since the last deploy (per the remote manifest). Changed files are uploaded
 * under temporary names first and renamed into place only once all uploads
 * succeeded, so readers never see a half-written page and an interrupted deploy
 * leaves the old site intact; the manifest is replaced last.
 */
export async function deployFolder(options: {
  localDir: string;
  remoteDir: string;
  connection: SftpConnection;
  deleteRemoved?: boolean;
  onProgress?: (progress: DeployProgress) => void;
}): Promise<DeployResult> {
  const label = publishMessage('publish.target.sftp');
  const sftp = new SftpClient();
  const remoteDir = options.remoteDir.replace(/\/+$/, '');
  const local = await localManifest(options.localDir);
  try {
    await sftp.connect({
      host: options.connection.host,
      port: options.connection.port,
      username: options.connection.username,
      password: options.connection.password,
      privateKey: options.connection.privateKey,
      passphrase: options.connection.passphrase,
      readyTimeout: options.connection.readyTimeoutMs ?? 20_000,
      retries: 0,
    });
    await sftp.mkdir(remoteDir, true);
    const manifestPath = posix.join(remoteDir, REMOTE_MANIFEST);
    const remote = (await sftp.exists(manifestPath)) === '-' ? parseManifest((await sftp.get(manifestPath)).toString('utf8')) : {};

    const changed = Object.keys(local).filter((path) => remote[path] !== local[path]).sort();
    const removed = options.deleteRemoved === false ? [] : Object.keys(remote).filter((path) => !(path in local)).sort();
    const suffix = `.gz-upload-${randomBytes(4).toString('hex')}`;
    const madeDirs = new Set<string>([remoteDir]);

    for (const [index, path] of changed.entries()) {
      const target = posix.join(remoteDir, path);
      const dir = posix.dirname(target);
      if (!madeDirs.has(dir)) {
        await sftp.mkdir(dir, true);
        madeDirs.add(dir);
      }
      await sftp.put(await readFile(join(options.localDir, ...path.split('/'))), `${target}${suffix}`);
      options.onProgress?.({ phase: 'upload', done: index + 1, total: changed.length, file: path });
    }
    for (const [index, path] of changed.entries()) {
      const target = posix.join(remoteDir, path);
      // posix-rename@openssh.com replaces the old file in one step; plain SFTP rename refuses to overwrite.
      await sftp.posixRename(`${target}${suffix}`, target);
      options.onProgress?.({ phase: 'rename', done: index + 1, total: changed.length, file: path });
    }
    for (const [index, path] of removed.entries()) {
      await sftp.delete(posix.join(remoteDir, path), true);
      options.onProgress?.({ phase: 'delete', done: index + 1, total: removed.length, file: path });
    }
    const manifestText = `${JSON.stringify({ format: 'gazette/deploy-manifest', version: 1, files: local }, null, 1)}\n`;
    await sftp.put(Buffer.from(manifestText, 'utf8'), `${manifestPath}${suffix}`);
    await sftp.posixRename(`${manifestPath}${suffix}`, manifestPath);
    return { uploaded: changed, deleted: removed, unchanged: Object.keys(local).length - changed.length };
  } catch (error) {
    if (error instanceof PublishError) throw error;
    const rawCode = typeof error === 'object' && error && 'code' in error ? (error as { code: unknown }).code : null;
    const code = rawCode === null || rawCode === undefined ? '' : String(rawCode);
    const text = error instanceof Error ? error.message : String(error);
    if (/authentication|All configured authentication methods failed/i.test(text)) {
      throw new PublishError('auth', 'publish.error.auth', { target: label, code: code || 'auth', server: text }, { cause: error });
    }
    const mapped = toPublishError(error, label, options.connection.readyTimeoutMs ?? 20_000);
    if (mapped.kind !== 'protocol') throw mapped;
    throw new PublishError('rejected', 'publish.error.fault', { target: label, code: code || 'sftp', server: text }, { cause: error });
  } finally {
    await sftp.end().catch(() => false);
  }
}
