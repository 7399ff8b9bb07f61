import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { AppCommandRequest } from '../../../shared/domain/app-commands';
import { buildContextMenuTemplate, buildMenuTemplate, type ContextMenuParams } from '../../../electron/shell/menu';
import { forgetArticle, parseRecent, RECENT_LIMIT, rememberArticle } from '../../../electron/shell/recent-articles';

/*
 * The 文件 menu and the right-click menus as data: what a person sees, which
 * shortcut each shows, and what choosing an item asks the page to do.
 */

const submenu = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] =>
  Array.isArray(item?.submenu) ? item.submenu : [];
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

function fileMenu(options: Partial<Parameters<typeof buildMenuTemplate>[1]> = {}, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const sent: AppCommandRequest[] = [];
  const template = buildMenuTemplate(locale, {
    isDev: false,
    isMac: false,
    onAbout: () => {},
    recent: [],
    onCommand: (request) => sent.push(request),
    ...options,
  });
  const items = submenu(template.find((menu) => menu.label === (locale === 'en' ? 'File' : '文件')));
  return { items, sent, byLabel: (label: string) => items.find((item) => item.label === label) };
}

describe('文件 menu', () => {
  it('lists the article commands, recent articles and 退出, with the shortcuts the page answers to', () => {
    const { items } = fileMenu();
    expect(items.map((item) => item.label ?? item.type ?? item.role)).toEqual([
      '新建文稿',
      '导入…',
      '导出',
      '打印…',
      '保存版本…',
      'separator',
      '最近打开',
      'separator',
      '退出',
    ]);
    expect(items.filter((item) => item.accelerator).map((item) => [item.label, item.accelerator])).toEqual([
      ['新建文稿', 'CmdOrCtrl+N'],
      ['导入…', 'CmdOrCtrl+O'],
      ['打印…', 'CmdOrCtrl+P'],
      ['保存版本…', 'CmdOrCtrl+S'],
    ]);
  });

  it('shows the shortcuts without registering them, so a key press reaches the page once and runs the command once', () => {
    const { items } = fileMenu();
    const withShortcut = items.filter((item) => item.accelerator);
    expect(withShortcut).toHaveLength(4);
    for (const item of withShortcut) expect(item.registerAccelerator).toBe(false);
  });

  it('hands each chosen command to the page', () => {
    const { sent, byLabel } = fileMenu();
    for (const label of ['新建文稿', '导入…', '打印…', '保存版本…']) click(byLabel(label));
    const exports = submenu(byLabel('导出'));
    expect(exports.map((item) => item.label)).toEqual(['Word（公文格式）…', 'PDF（公文格式）…', 'HTML…', 'JSON…']);
    for (const item of exports) click(item);
    expect(sent).toEqual([
      { command: 'newArticle' },
      { command: 'import' },
      { command: 'print' },
      { command: 'saveVersion' },
      { command: 'export', format: 'docx' },
      { command: 'export', format: 'pdf' },
      { command: 'export', format: 'html' },
      { command: 'export', format: 'json' },
    ]);
  });

  it('lists the recent articles by title, opens the chosen one, and says when there are none', () => {
    const recent = [
      { id: 'art_aaaaaa', title: '关于召开安全生产会议的通知' },
      { id: 'art_bbbbbb', title: '' },
      { id: 'art_cccccc', title: 'R&D 座谈会' },
    ];
    const { sent, byLabel } = fileMenu({ recent });
    const items = submenu(byLabel('最近打开'));
    expect(items.map((item) => item.label)).toEqual(['关于召开安全生产会议的通知', '（无标题）', 'R&&D 座谈会']);
    click(items[2]);
    expect(sent).toEqual([{ command: 'openArticle', articleId: 'art_cccccc' }]);

    const empty = submenu(fileMenu().byLabel('最近打开'));
    expect(empty).toEqual([{ label: '（无）', enabled: false }]);
  });

  it('closes the window instead of quitting on macOS, and reads in English', () => {
    const mac = fileMenu({ isMac: true });
    expect(mac.items.at(-1)?.role).toBe('close');
    const en = fileMenu({}, 'en');
    expect(en.items.map((item) => item.label).filter(Boolean)).toEqual([
      'New Article',
      'Import…',
      'Export',
      'Print…',
      'Save Version…',
      'Open Recent',
      'Quit',
    ]);
  });
});

describe('right-click menu', () => {
  const editable: ContextMenuParams = {
    isEditable: true,
    selectionText: '',
    editFlags: { canCut: false, canCopy: false, canPaste: true, canSelectAll: true },
    misspelledWord: '',
    dictionarySuggestions: [],
  };
  const roles = (template: MenuItemConstructorOptions[]) =>
    template.map((item) => (item.type === 'separator' ? '—' : `${item.role}:${item.label}:${item.enabled === false ? 'off' : 'on'}`));

  it('in the editor or a field: 剪切 / 复制 / 粘贴 / 粘贴为纯文本 / 全选, enabled as the page allows', () => {
    expect(roles(buildContextMenuTemplate('zh-CN', editable, () => {}))).toEqual([
      'cut:剪切:off',
      'copy:复制:off',
      'paste:粘贴:on',
      'pasteAndMatchStyle:粘贴为纯文本:on',
      '—',
      'selectAll:全选:on',
    ]);
    const selected = { ...editable, selectionText: '通知', editFlags: { canCut: true, canCopy: true, canPaste: false, canSelectAll: true } };
    expect(roles(buildContextMenuTemplate('en', selected, () => {}))).toEqual([
      'cut:Cut:on',
      'copy:Copy:on',
      'paste:Paste:off',
      'pasteAndMatchStyle:Paste as Plain Text:off',
      '—',
      'selectAll:Select All:on',
    ]);
  });

  it('on selected page text offers 复制 only, and on plain page text nothing at all', () => {
    const text = { ...editable, isEditable: false, selectionText: '开发区', editFlags: { ...editable.editFlags, canCopy: true } };
    expect(roles(buildContextMenuTemplate('zh-CN', text, () => {}))).toEqual(['copy:复制:on']);
    expect(buildContextMenuTemplate('zh-CN', { ...text, selectionText: '  ' }, () => {})).toEqual([]);
  });

  it('leads with spelling suggestions when the spellchecker flagged the word, replacing it on choice', () => {
    const replaced: string[] = [];
    const template = buildContextMenuTemplate(
      'en',
      { ...editable, misspelledWord: 'recieve', dictionarySuggestions: ['receive', 'relieve'] },
      (word) => replaced.push(word),
    );
    expect(template.slice(0, 3).map((item) => item.label ?? item.type)).toEqual(['receive', 'relieve', 'separator']);
    click(template[0]);
    expect(replaced).toEqual(['receive']);
  });
});

describe('recent articles', () => {
  it('puts the opened article first with its current title, once, keeping at most the limit', () => {
    let list = rememberArticle([], { id: 'art_aaaaaa', title: '旧标题' });
    list = rememberArticle(list, { id: 'art_bbbbbb', title: '第二篇' });
    list = rememberArticle(list, { id: 'art_aaaaaa', title: '新标题' });
    expect(list).toEqual([
      { id: 'art_aaaaaa', title: '新标题' },
      { id: 'art_bbbbbb', title: '第二篇' },
    ]);
    for (let n = 0; n < 20; n++) list = rememberArticle(list, { id: `art_${String(n).padStart(6, '0')}`, title: `${n}` });
    expect(list).toHaveLength(RECENT_LIMIT);
    expect(list[0]?.title).toBe('19');
    expect(forgetArticle(list, 'art_000019')[0]?.title).toBe('18');
  });

  it('reads a damaged file as far as it makes sense, per person', () => {
    expect(parseRecent('garbage')).toEqual({});
    expect(parseRecent([1, 2])).toEqual({});
    expect(
      parseRecent({
        p1: [{ id: 'art_aaaaaa', title: '通知' }, { id: '../../etc', title: 'x' }, { id: 'art_aaaaaa', title: 'dup' }, null, { id: 'art_bbbbbb' }],
        p2: 'not a list',
      }),
    ).toEqual({ p1: [{ id: 'art_aaaaaa', title: '通知' }, { id: 'art_bbbbbb', title: '' }] });
  });
});
