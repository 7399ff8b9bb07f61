import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../../shared/api/access';
import { CHANNELS, type CallContext, type Channel, contract } from '../../../shared/api/contract';
import { createOffice, type Office } from '../../support/review-api';

/*
 * Access is declared per channel in the contract and checked before any
 * handler runs. This loops over every channel, so a channel added without a
 * declaration, or one whose gate lets the wrong caller through, fails here.
 */

const accessOf = (channel: Channel): Access | undefined => (contract[channel] as { access?: Access }).access;
const isAdminOnly = (access: Access | undefined): boolean => typeof access === 'object';

let office: Office;
beforeAll(async () => {
  office = await createOffice([
    { who: 'writer', name: '张撰稿', roles: ['writer'] },
    { who: 'reviewer', name: '李审核', roles: ['reviewer'] },
  ]);
});
afterAll(async () => {
  await office.close();
});

const stranger: CallContext = { transport: 'http', sessionId: 'http:nobody' };

describe('access declared per channel, enforced before any handler', () => {
  it('every channel declares who may call it', () => {
    const undeclared = CHANNELS.filter((channel) => accessOf(channel) === undefined);
    expect(undeclared).toEqual([]);
  });

  it('someone not signed in gets `unauthorized` on every channel but the sign-in ones, whatever the payload', async () => {
    const open: Channel[] = [];
    for (const channel of CHANNELS) {
      // A payload that parses for no channel: the gate answers before the schema is consulted.
      const reply = await office.workspace.dispatch(channel, { nonsense: true }, stranger);
      if (accessOf(channel) === 'anyone') {
        open.push(channel);
        continue;
      }
      expect(reply, channel).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(open.sort()).toEqual(
      ['session:get', 'session:setup', 'session:signIn', 'session:signOut', 'settings:get', 'workspace:info', 'office:join'].sort(),
    );
  });

  it('a signed-in writer is refused at the gate on every administrators’ channel', async () => {
    for (const channel of CHANNELS.filter((c) => isAdminOnly(accessOf(c)))) {
      const reply = await office.call('writer', channel, { nonsense: true });
      expect(reply, channel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('a reviewer may not create or import articles; a writer passes that gate', async () => {
    for (const channel of CHANNELS.filter((c) => accessOf(c) === 'creator')) {
      expect(await office.call('reviewer', channel, { nonsense: true }), channel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // Past the gate, the writer's nonsense payload is refused by the schema instead.
      expect(await office.call('writer', channel, { nonsense: true }), channel).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
  });

  it('purging an article is for administrators only, and the workspace handlers used by the CLI are gated too', async () => {
    expect(await office.call('writer', 'articles:purge', { id: 'abcdefgh' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(office.workspace.handlers['articles:list']({ trash: false, offset: 0, limit: 50 }, stranger)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
