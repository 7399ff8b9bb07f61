import { describe, expect, it } from 'vitest';
import { errorDetail, withApiErrors } from '../../../node/services/api-errors';
import { createDispatcher } from '../../../shared/api/dispatch';
import type { ApiHandlers, CallContext } from '../../../shared/api/contract';
import { isApiErrorData } from '../../../shared/api/errors';
import { translate } from '../../../shared/i18n';

/*
 * A full disk or a folder the app may not write to is the user's to fix, so
 * it is said as such, not as 程序内部错误. The error is injected where a
 * real write would throw it: inside a handler, behind the real dispatcher.
 */

const cli: CallContext = { transport: 'cli', sessionId: 'cli' };

function systemError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: failed, ${syscall}${path ? ` '${path}'` : ''}`);
  error.code = code;
  error.syscall = syscall;
  if (path) error.path = path;
  return error;
}

async function failSave(error: unknown) {
  const handlers = withApiErrors({
    'articles:list': async () => {
      throw error;
    },
  } as unknown as ApiHandlers);
  const dispatch = createDispatcher(handlers, () => {});
  const envelope = await dispatch('articles:list', {}, cli);
  if (envelope.ok) throw new Error('the injected error did not surface');
  expect(isApiErrorData(envelope.error)).toBe(true);
  return { ...envelope.error, zh: translate('zh-CN', `error.${envelope.error.code}` as 'error.internal', { detail: envelope.error.detail }) };
}

describe('disk errors reach the user in plain words', () => {
  it('a full disk says 磁盘空间不足 and names the file being saved, not its temp', async () => {
    const reply = await failSave(systemError('ENOSPC', 'write', '/home/u/ws/articles/a1/article.json.tmp-3fa2b1c0d9e8'));
    expect(reply.code).toBe('disk_full');
    expect(reply.zh).toMatch(/^磁盘空间不足：/);
    expect(reply.zh).toContain('/home/u/ws/articles/a1/article.json；');
    expect(reply.zh).not.toContain('tmp-');
    expect(reply.zh).not.toContain('程序内部错误');
    expect(translate('en', 'error.disk_full', { detail: reply.detail })).toMatch(/^The disk is full: /);
  });

  it('no permission to write, or a read-only disk, says 没有写入权限', async () => {
    for (const [code, syscall] of [
      ['EACCES', 'open'],
      ['EPERM', 'rename'],
      ['EROFS', 'mkdir'],
    ] as const) {
      const reply = await failSave(systemError(code, syscall, '/media/usb/ws/settings.json'));
      expect(reply.code, code).toBe('not_writable');
      expect(reply.zh, code).toMatch(/^没有写入权限：未能写入 \/media\/usb\/ws\/settings\.json/);
    }
  });

  it('a refusal to read is not called a write problem, and other failures stay internal', async () => {
    expect((await failSave(systemError('EACCES', 'scandir', '/srv/ws/articles'))).code).toBe('internal');
    expect((await failSave(systemError('EIO', 'write', '/srv/ws/x'))).code).toBe('internal');
  });

  it('a message quoting the failure (an attachment not imported) carries the cause too', () => {
    expect(errorDetail(systemError('ENOSPC', 'write', '/ws/articles/a1/assets/x.png.tmp-aa11'))).toBe(
      '磁盘空间不足：未能写入 /ws/articles/a1/assets/x.png；请腾出磁盘空间后重试',
    );
  });
});
