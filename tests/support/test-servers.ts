import { readFileSync } from 'node:fs';

/** Connection details written by scripts/test-servers/start.sh. */
export interface TestServers {
  wpUrl: string;
  wpUser: string;
  wpPassword: string;
  wpAppPassword: string;
  xmlRpcUrl: string;
  sftpHost: string;
  sftpPort: number;
  sftpUser: string;
  sftpKeyPath: string;
  sftpRoot: string;
}

/** Where start.sh writes its env file. */
export const TEST_SERVERS_ENV = process.env.GAZETTE_TEST_SERVERS_ENV ?? '/tmp/gazette-test-servers.env';

function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) values[match[1]] = match[2] ?? '';
  }
  return values;
}

async function reachable(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The running test servers, or the reason the real-server tests must skip
 * (printed so a skipped run never looks like a pass).
 */
export async function loadTestServers(): Promise<{ servers: TestServers } | { skip: string }> {
  let values: Record<string, string>;
  try {
    values = parseEnvFile(readFileSync(TEST_SERVERS_ENV, 'utf8'));
  } catch {
    return { skip: `${TEST_SERVERS_ENV} not found: run scripts/test-servers/start.sh (as root) to start WordPress and sshd` };
  }
  const get = (key: string) => values[key] ?? '';
  const servers: TestServers = {
    wpUrl: get('GAZETTE_WP_URL'),
    wpUser: get('GAZETTE_WP_USER'),
    wpPassword: get('GAZETTE_WP_PASSWORD'),
    wpAppPassword: get('GAZETTE_WP_APP_PASSWORD'),
    xmlRpcUrl: get('GAZETTE_WP_XMLRPC_URL'),
    sftpHost: get('GAZETTE_SFTP_HOST'),
    sftpPort: Number(get('GAZETTE_SFTP_PORT')),
    sftpUser: get('GAZETTE_SFTP_USER'),
    sftpKeyPath: get('GAZETTE_SFTP_KEY'),
    sftpRoot: get('GAZETTE_SFTP_ROOT'),
  };
  if (!servers.wpUrl || !servers.wpAppPassword) return { skip: `${TEST_SERVERS_ENV} lacks GAZETTE_WP_URL/GAZETTE_WP_APP_PASSWORD` };
  if (!(await reachable(`${servers.wpUrl}/?rest_route=/`))) {
    return { skip: `WordPress at ${servers.wpUrl} does not answer: run scripts/test-servers/start.sh` };
  }
  return { servers };
}

/** A tiny valid PNG (1×1, the given grey level) so uploads differ by content. */
export function tinyPng(seed: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const signature = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  chunks.push(signature);
  chunks.push(pngChunk('IHDR', Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])));
  chunks.push(pngChunk('IDAT', zlibStored(Uint8Array.from([0, seed & 0xff]))));
  chunks.push(pngChunk('IEND', new Uint8Array(0)));
  return Buffer.concat(chunks);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function zlibStored(data: Uint8Array): Uint8Array {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const out = Buffer.alloc(2 + 5 + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  out[2] = 1;
  out.writeUInt16LE(data.length, 3);
  out.writeUInt16LE(~data.length & 0xffff, 5);
  Buffer.from(data).copy(out, 7);
  out.writeUInt32BE(((b << 16) | a) >>> 0, 7 + data.length);
  return out;
}
