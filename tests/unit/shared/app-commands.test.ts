import { describe, expect, it } from 'vitest';
import { commandAccelerator, commandForKey, shortcutLabel } from '../../../shared/domain/app-commands';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('the 文件 shortcuts', () => {
  it('Ctrl (⌘ on macOS) with N, O, P, S asks for 新建文稿, 导入, 打印, 保存版本, whatever the letter case', () => {
    expect(['n', 'O', 'p', 's'].map((key) => commandForKey(press(key, { ctrlKey: true }), false))).toEqual([
      'newArticle',
      'import',
      'print',
      'saveVersion',
    ]);
    expect(commandForKey(press('s', { metaKey: true }), true)).toBe('saveVersion');
  });

  it('leaves every other key to the editor and the browser', () => {
    expect(commandForKey(press('s'), false)).toBeNull();
    // Ctrl+Shift+V is paste as plain text; Ctrl+Alt+S could be AltGr on a European keyboard.
    expect(commandForKey(press('V', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(commandForKey(press('S', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(commandForKey(press('s', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(commandForKey(press('b', { ctrlKey: true }), false)).toBeNull();
    // The other system's modifier does nothing: Ctrl+S on a Mac is not ⌘S.
    expect(commandForKey(press('s', { ctrlKey: true }), true)).toBeNull();
    expect(commandForKey(press('s', { metaKey: true }), false)).toBeNull();
    expect(commandForKey(press('Enter', { ctrlKey: true }), false)).toBeNull();
  });

  it('is written the same in the menu and the tooltips', () => {
    expect(commandAccelerator('print')).toBe('CmdOrCtrl+P');
    expect(commandAccelerator('export')).toBeUndefined();
    expect(shortcutLabel('print', false)).toBe('Ctrl+P');
    expect(shortcutLabel('print', true)).toBe('⌘P');
    expect(shortcutLabel('openArticle', false)).toBe('');
  });
});
