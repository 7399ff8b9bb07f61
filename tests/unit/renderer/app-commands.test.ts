// @vitest-environment jsdom
/// <reference lib="dom" />
import { afterEach, describe, expect, it } from 'vitest';
import type { AppCommandRequest } from '../../../shared/domain/app-commands';
import { toastStore } from '../../../renderer/src/state/notifications';
import { handleCommand, startCommandInput } from '../../../renderer/src/commands/app-commands';

/*
 * One way in for the 文件 commands: a key press and a desktop menu choice run
 * the same handler, once; a command with no screen to run it says so.
 */

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  document.body.innerHTML = '';
});

function start() {
  let menuListener: ((request: AppCommandRequest) => void) | null = null;
  stops.push(
    startCommandInput({
      onEvent: ((_event: string, listener: (request: AppCommandRequest) => void) => {
        menuListener = listener;
        return () => {
          menuListener = null;
        };
      }) as never,
    }),
  );
  return { menu: (request: AppCommandRequest) => menuListener?.(request) };
}

const press = (key: string, init: KeyboardEventInit = { ctrlKey: true }) => {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  document.body.dispatchEvent(event);
  return event;
};

describe('app commands', () => {
  it('runs Ctrl+S once, keeps it from the browser, and runs the menu’s choice through the same handler', () => {
    const ran: AppCommandRequest[] = [];
    stops.push(handleCommand('saveVersion', (request) => ran.push(request)));
    const { menu } = start();
    const event = press('s');
    expect(event.defaultPrevented).toBe(true);
    menu({ command: 'saveVersion' });
    expect(ran).toEqual([{ command: 'saveVersion' }, { command: 'saveVersion' }]);
    expect(press('b').defaultPrevented).toBe(false);
  });

  it('asks the innermost screen first and lets it pass a command on', () => {
    const ran: string[] = [];
    stops.push(handleCommand('export', (request) => (request.format === 'docx' ? ran.push('公文 tools') : false)));
    stops.push(handleCommand('export', (request) => (request.format === 'json' ? ran.push('editor') : false)));
    const { menu } = start();
    menu({ command: 'export', format: 'json' });
    menu({ command: 'export', format: 'docx' });
    expect(ran).toEqual(['editor', '公文 tools']);
  });

  it('does nothing while a dialog is open, and says so when no open article can take the command', () => {
    const ran: string[] = [];
    stops.push(handleCommand('saveVersion', () => ran.push('save')));
    start();
    document.body.innerHTML = '<div role="dialog" aria-modal="true"></div>';
    expect(press('s').defaultPrevented).toBe(true);
    expect(ran).toEqual([]);
    document.body.innerHTML = '';

    press('p');
    expect(toastStore.get().at(-1)?.text).toMatch(/请先打开一篇文稿/);
  });
});
