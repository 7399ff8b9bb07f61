import { readFile } from 'node:fs/promises';
import SftpClient from 'ssh2-sftp-client';
import type { ConnectionTestResult, PublishTargetConfig } from '../../../shared/api/contract';
import { MetaWeblogClient } from './metaweblog/client';
import { PublishError } from './outbox/publish-error';
import { WordPressClient } from './wordpress/client';

/** A connection test answers within this, whatever the server does: the admin is waiting in front of the form. */
export const CONNECTION_TEST_TIMEOUT_MS = 15_000;

type RemoteTarget = Exclude<PublishTargetConfig, { kind: 'static-folder' }>;

/** Node's and OpenSSL's codes for a certificate the client will not trust. */
const CERTIFICATE_CODES =
  /^(CERT_|ERR_TLS_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)|ERR_SSL_)/;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 8; ) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? (current as { cause: unknown }).cause : undefined;
  }
  return chain;
}

function codeOf(link: unknown): string {
  return typeof link === 'object' && link && 'code' in link ? String((link as { code: unknown }).code) : '';
}

function messageOf(error: unknown): string {
  const last = causes(error).at(-1);
  const text = last instanceof Error ? last.message : String(last ?? error);
  return text.slice(0, 300);
}

/** What went wrong on the way (timeout, certificate, no answer), whatever kind of server was asked; null when the server answered. */
function transportFailure(error: unknown): ConnectionTestResult | null {
  for (const link of causes(error)) {
    const code = codeOf(link);
    const name = link instanceof Error ? link.name : '';
    if (CERTIFICATE_CODES.test(code)) return { ok: false, outcome: 'certificate', detail: code };
    if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return { ok: false, outcome: 'timeout', detail: String(CONNECTION_TEST_TIMEOUT_MS / 1000) };
    }
    if (UNREACHABLE_CODES.has(code)) return { ok: false, outcome: 'unreachable', detail: code };
  }
  if (error instanceof PublishError && (error.kind === 'network' || error.kind === 'timeout')) {
    return { ok: false, outcome: error.kind === 'timeout' ? 'timeout' : 'unreachable', detail: messageOf(error) };
  }
  return null;
}

/**
 * How a login attempt to a WordPress or MetaWeblog site failed: the network first, then a refused
 * login or account, then `wrongKind` (the answer of a site that is not the kind the target names).
 */
function loginFailure(error: unknown, wrongKind: (refused: PublishError) => ConnectionTestResult | null): ConnectionTestResult {
  const transport = transportFailure(error);
  if (transport) return transport;
  if (error instanceof PublishError) {
    if (error.kind === 'auth') return { ok: false, outcome: 'auth', detail: error.serverMessage };
    if (error.kind === 'forbidden') return { ok: false, outcome: 'forbidden', detail: error.serverMessage };
    const other = wrongKind(error);
    if (other) return other;
  }
  return { ok: false, outcome: 'failed', detail: messageOf(error) };
}

async function testWordPress(target: Extract<RemoteTarget, { kind: 'wordpress' }>, secret: string): Promise<ConnectionTestResult> {
  const client = new WordPressClient({ id: target.id, baseUrl: target.baseUrl, user: target.user, appPassword: secret, timeoutMs: CONNECTION_TEST_TIMEOUT_MS });
  try {
    // users/me needs a login, so one call proves the address is a WordPress REST API and the application password is accepted.
    const me = await client.request<{ name?: unknown; slug?: unknown }>('GET', '/wp/v2/users/me', { query: { context: 'edit' } });
    if (typeof me !== 'object' || me === null || (typeof me.name !== 'string' && typeof me.slug !== 'string')) {
      return { ok: false, outcome: 'not_wordpress', detail: '' };
    }
    return { ok: true, outcome: 'ok', account: String(me.name || me.slug) };
  } catch (error) {
    return loginFailure(error, (refused) =>
      // A page that is not JSON, or a REST route that does not exist: some other kind of site answered.
      refused.kind === 'protocol' || refused.kind === 'not_found' || refused.code === 'rest_no_route'
        ? { ok: false, outcome: 'not_wordpress', detail: refused.serverMessage || messageOf(refused) }
        : null,
    );
  }
}

async function testMetaWeblog(target: Extract<RemoteTarget, { kind: 'metaweblog' }>, secret: string): Promise<ConnectionTestResult> {
  const client = new MetaWeblogClient({
    id: target.id,
    endpoint: target.endpoint,
    blogId: target.blogId,
    user: target.user,
    password: secret,
    timeoutMs: CONNECTION_TEST_TIMEOUT_MS,
  });
  try {
    // blogger.getUsersBlogs is the one call every MetaWeblog server has that needs nothing but the login.
    const blogs = await client.call('blogger.getUsersBlogs', ['gazette', target.user, secret]);
    if (!Array.isArray(blogs)) return { ok: false, outcome: 'not_metaweblog', detail: '' };
    return { ok: true, outcome: 'ok', account: target.user };
  } catch (error) {
    return loginFailure(error, (refused) =>
      refused.kind === 'protocol' || refused.kind === 'not_found' ? { ok: false, outcome: 'not_metaweblog', detail: messageOf(refused) } : null,
    );
  }
}

async function testSftp(target: Extract<RemoteTarget, { kind: 'static-sftp' }>, secret: string | null): Promise<ConnectionTestResult> {
  let privateKey: Buffer | undefined;
  if (target.privateKeyPath) {
    try {
      privateKey = await readFile(target.privateKeyPath);
    } catch (error) {
      return { ok: false, outcome: 'key_file', detail: `${target.privateKeyPath}: ${codeOf(error) || messageOf(error)}` };
    }
  }
  const sftp = new SftpClient();
  try {
    await sftp.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      ...(privateKey ? { privateKey, ...(secret ? { passphrase: secret } : {}) } : { password: secret ?? '' }),
      readyTimeout: CONNECTION_TEST_TIMEOUT_MS,
      retries: 0,
    });
    // Logged in; the folder the site goes to must also be there (or creatable by the first upload).
    const folder = await sftp.exists(target.remoteDir);
    return { ok: true, outcome: 'ok', account: target.username, ...(folder === 'd' ? {} : { remoteDirMissing: true }) };
  } catch (error) {
    const transport = transportFailure(error);
    if (transport) return transport;
    const text = messageOf(error);
    if (/authentication|All configured authentication methods failed/i.test(text)) return { ok: false, outcome: 'auth', detail: text };
    if (/timed out/i.test(text)) return { ok: false, outcome: 'timeout', detail: String(CONNECTION_TEST_TIMEOUT_MS / 1000) };
    return { ok: false, outcome: 'failed', detail: text };
  } finally {
    await sftp.end().catch(() => false);
  }
}

/**
 * Tries to log in to a remote publishing target and says plainly how it went.
 * Sends nothing and changes nothing on the server; answers within
 * {@link CONNECTION_TEST_TIMEOUT_MS} (plus the SSH handshake's own limit).
 */
export async function testTargetConnection(target: RemoteTarget, secret: string | null): Promise<ConnectionTestResult> {
  switch (target.kind) {
    case 'wordpress':
      return testWordPress(target, secret ?? '');
    case 'metaweblog':
      return testMetaWeblog(target, secret ?? '');
    case 'static-sftp':
      return testSftp(target, secret);
  }
}
