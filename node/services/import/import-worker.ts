import { parentPort, workerData } from 'node:worker_threads';
import { ApiError, type ApiErrorCode } from '../../../shared/api/errors';
import { type ImportDraft, importFileBuffer, importPortalText } from './index';
import { ImportLimitError, type ImportLimitKind } from './limits';

/*
 * The import thread of the host, the desktop app and the CLI. Converting a
 * Word file can take the converter seconds and gigabytes; here it never holds
 * up the API both transports answer on, and the main thread can stop it at
 * its time limit, while its heap limit stops it before it takes the machine.
 */

export type ImportWorkerRequest =
  | { id: number; op: 'file'; fileName: string; data: Uint8Array }
  | { id: number; op: 'text'; fileName: string; text: string };

/** Why an import failed, as plain data (errors lose their class crossing threads). */
export type ImportWorkerFailure =
  | { kind: 'api'; code: ApiErrorCode; detail: string }
  | { kind: 'limit'; limit: ImportLimitKind; params: Record<string, string | number> }
  | { kind: 'other'; message: string };

export type ImportWorkerReply = { id: number; ok: true; draft: ImportDraft } | { id: number; ok: false; failure: ImportWorkerFailure };

export const IMPORT_WORKER_MARK = 'gazette-import-worker';
/** The thread's first message: the converters are loaded, imports may start (and be timed). */
export const IMPORT_WORKER_READY = 'ready';

function failureOf(error: unknown): ImportWorkerFailure {
  if (error instanceof ImportLimitError) return { kind: 'limit', limit: error.kind, params: error.params };
  if (error instanceof ApiError) return { kind: 'api', code: error.code, detail: error.detail };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

if (parentPort && (workerData as { mark?: string } | null)?.mark === IMPORT_WORKER_MARK) {
  const port = parentPort;
  port.on('message', (request: ImportWorkerRequest) => {
    const run = async (): Promise<ImportDraft> =>
      request.op === 'file'
        ? importFileBuffer(request.fileName, Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength))
        : importPortalText(request.text, request.fileName);
    run().then(
      (draft) => port.postMessage({ id: request.id, ok: true, draft } satisfies ImportWorkerReply),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, failure: failureOf(error) } satisfies ImportWorkerReply),
    );
  });
  port.postMessage(IMPORT_WORKER_READY);
}
