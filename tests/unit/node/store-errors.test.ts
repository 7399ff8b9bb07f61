import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorDetail, toApiError, withApiErrors } from '../../../node/services/api-errors';
import { StoreError } from '../../../node/services/store/store-error';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import type { ApiHandlers, CallContext } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { ArticleMetaSchema } from '../../../shared/domain/article';

const cli: CallContext = { transport: 'cli', sessionId: 'cli' };

let dir: string;
let store: WorkspaceStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-store-errors-'));
  store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('store errors and the API edge', () => {
  it('the store refuses with errors of its own, not API errors', async () => {
    const refused = await store.get('NoSuchArticle').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreError);
    expect(refused).not.toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'not_found', message: 'not_found: article NoSuchArticle does not exist' });

    const created = await store.create(ArticleMetaSchema.parse({ title: '甲' }), { type: 'doc', content: [] });
    await expect(store.addAsset(created.id, 'virus.exe', 'application/octet-stream', new Uint8Array(1))).rejects.toMatchObject({
      name: 'StoreError',
      code: 'unsupported_file',
    });
  });

  it('turns a store error into the API error with the same code and detail; anything else passes unchanged', () => {
    const mapped = toApiError(new StoreError('conflict', 'article x was changed elsewhere'));
    expect(mapped).toBeInstanceOf(ApiError);
    expect((mapped as ApiError).toData()).toEqual({ code: 'conflict', detail: 'article x was changed elsewhere' });

    const other = new Error('disk full');
    expect(toApiError(other)).toBe(other);
    expect(errorDetail(new StoreError('invalid_request', 'unsafe file name: ../a'))).toBe('unsafe file name: ../a');
    expect(errorDetail(new ApiError('forbidden', '无权操作'))).toBe('无权操作');
    expect(errorDetail(other)).toBe('Error: disk full');
  });

  it('every wrapped handler throws API errors for what the store refused', async () => {
    const handlers = withApiErrors({
      'articles:get': async (request: { id: string }) => store.get(request.id),
    } as unknown as ApiHandlers);
    const failure = await handlers['articles:get']({ id: 'NoSuchArticle' }, cli).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'not_found', detail: 'article NoSuchArticle does not exist' });
  });
});
