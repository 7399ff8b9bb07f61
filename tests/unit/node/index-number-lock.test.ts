import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexNumbers } from '../../../node/services/publish/index-numbers';
import { PublishError } from '../../../node/services/publish/outbox/publish-error';
import { publishMessage } from '../../../node/services/publish/outbox/messages';

describe('索引号 assignment blocked by another publisher', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives up with a translated message naming the holder, and hands out no number', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gz-index-lock-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.assign.lock'), '4242\n');
    const numbers = new IndexNumbers({ dir, lockTimeoutMs: 60, staleLockMs: 60_000 });

    const error = await numbers.assign('a1', '003087762', 2024).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    const failure = error as PublishError;
    expect(failure.messageKey).toBe('publish.error.index_lock');
    expect(failure.message).toContain('另一个发布程序（PID 4242）正在分配索引号');
    expect(failure.message).toContain('.assign.lock');
    expect(publishMessage(failure.messageKey, failure.messageParams, 'en')).toContain(
      'Another publishing program (PID 4242) is assigning',
    );
    expect(await numbers.numberOf('a1')).toBeNull();
  });
});
