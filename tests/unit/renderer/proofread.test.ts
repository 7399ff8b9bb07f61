// @vitest-environment jsdom
/// <reference lib="dom" />
import { Editor, getSchema } from '@tiptap/core';
import { EditorState } from '@tiptap/pm/state';
import { EditorView } from '@tiptap/pm/view';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import type { Locale } from '../../../shared/domain/settings';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle } from '../../../shared/proofread/engine';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { CheckInput, Finding } from '../../../shared/proofread/types';
import { articleExtensions } from '../../../renderer/src/editor/extensions';
import { type CheckerPort, ProofreadChecker } from '../../../renderer/src/proofread/checker';
import { applySuggestions, fixTransaction, proofDecorations, showProofMarks } from '../../../renderer/src/proofread/marks';
import { GateDialog } from '../../../renderer/src/proofread/GateDialog';
import { fixBatches, groupFindings, ProofreadPanel } from '../../../renderer/src/proofread/ProofreadPanel';
import { MAX_PACK_FILE_BYTES, readPackFile } from '../../../renderer/src/proofread/pack-io';
import type { WorkerReply, WorkerRequest } from '../../../renderer/src/proofread/protocol';
import { buildTextMap } from '../../../renderer/src/review/text-map';
import { settingsStore } from '../../../renderer/src/state/settings';

const schema = getSchema(articleExtensions({ placeholder: () => '', onLinkShortcut: () => {} }));
const text = (value: string, marks?: { type: string }[]) => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
const docOf = (...paragraphs: object[]): Doc => ({ type: 'doc', content: paragraphs }) as Doc;

function finding(over: Partial<Finding> & Pick<Finding, 'start' | 'end' | 'text'>): Finding {
  return { rule: 'protected-term:中华人民共和国', family: 'protected', severity: 'error', message: '疑似错字', ...over };
}

const meta = {} as CheckInput['meta'];

/** A fake worker: records what it was sent and answers when the test says so. */
class FakeWorker implements CheckerPort {
  sent: WorkerRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  postMessage(message: WorkerRequest): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(reply: WorkerReply): void {
    this.onmessage?.({ data: reply } as MessageEvent<WorkerReply>);
  }
  checks(): Extract<WorkerRequest, { type: 'check' }>[] {
    return this.sent.filter((message): message is Extract<WorkerRequest, { type: 'check' }> => message.type === 'check');
  }
}

/** Manual timers so the debounce is tested without waiting. */
function manualTimers() {
  let next = 1;
  const pending = new Map<number, () => void>();
  return {
    setTimer: (callback: () => void) => {
      const id = next++;
      pending.set(id, callback);
      return id;
    },
    clearTimer: (handle: unknown) => {
      pending.delete(handle as number);
    },
    fireAll: () => {
      const callbacks = [...pending.values()];
      pending.clear();
      for (const callback of callbacks) callback();
    },
    count: () => pending.size,
  };
}

const PACKS: RulePacks = [];
const COUNTS = { characters: 2, hanCharacters: 2, paragraphs: 1, images: 0, readingMinutes: 1 };
const input = (body: string) => ({ input: { meta, doc: docOf(paragraph(text(body))) }, tag: body });

describe('checking in a worker while the writer types', () => {
  it('checks once after typing pauses, with only the newest text', () => {
    const worker = new FakeWorker();
    const timers = manualTimers();
    const checker = new ProofreadChecker<string>(worker, timers);
    checker.setPacks(PACKS);
    let built = 0;
    for (const body of ['中', '中华', '中华人民共合国']) {
      checker.request(() => {
        built += 1;
        return input(body);
      });
    }
    expect(worker.checks()).toHaveLength(0);
    // The document is serialised only when a check actually starts, not on every keystroke.
    expect(built).toBe(0);
    timers.fireAll();
    expect(built).toBe(1);
    expect(worker.checks()).toHaveLength(1);
    expect(JSON.stringify(worker.checks()[0]?.input.doc)).toContain('中华人民共合国');
  });

  it('tells the screen once that a check is waiting, not on every keystroke (each time would re-render the editor screen)', () => {
    const worker = new FakeWorker();
    const checker = new ProofreadChecker<string>(worker, manualTimers());
    checker.setPacks(PACKS);
    let notified = 0;
    checker.store.subscribe(() => {
      notified += 1;
    });
    for (const body of ['中', '中华', '中华人', '中华人民']) checker.request(() => input(body));
    expect(checker.store.get().status).toBe('waiting');
    expect(notified).toBe(1);
  });

  it('never shows an answer to a text that has been edited since, and checks the newest text next', () => {
    const worker = new FakeWorker();
    const timers = manualTimers();
    const checker = new ProofreadChecker<string>(worker, timers);
    checker.setPacks(PACKS);
    checker.requestNow(() => input('旧文字'));
    const first = worker.checks()[0];
    expect(first).toBeDefined();
    checker.request(() => input('新文字'));
    timers.fireAll();
    // Only one check at a time: the newer one waits for the worker.
    expect(worker.checks()).toHaveLength(1);
    worker.answer({ type: 'result', seq: first?.seq ?? -1, findings: [finding({ start: 0, end: 2, text: '旧文' })], counts: COUNTS, elapsedMs: 1 });
    expect(checker.store.get().findings).toEqual([]);
    const second = worker.checks()[1];
    expect(second).toBeDefined();
    const fresh = finding({ start: 0, end: 2, text: '新文' });
    worker.answer({ type: 'result', seq: second?.seq ?? -1, findings: [fresh], counts: COUNTS, elapsedMs: 1 });
    expect(checker.store.get()).toMatchObject({ status: 'ready', findings: [fresh], tag: '新文字' });
  });

  it('waits for the rule packs before the first check', () => {
    const worker = new FakeWorker();
    const checker = new ProofreadChecker<string>(worker, manualTimers());
    checker.requestNow(() => input('政府'));
    expect(worker.checks()).toHaveLength(0);
    checker.setPacks(PACKS);
    expect(worker.sent.map((message) => message.type)).toEqual(['packs', 'check']);
  });

  it('reports a failing check and keeps working afterwards', () => {
    const worker = new FakeWorker();
    const checker = new ProofreadChecker<string>(worker, manualTimers());
    checker.setPacks(PACKS);
    checker.requestNow(() => input('一'));
    worker.answer({ type: 'error', seq: worker.checks()[0]?.seq ?? -1, message: 'boom' });
    expect(checker.store.get()).toMatchObject({ status: 'failed', error: 'boom' });
    checker.requestNow(() => input('二'));
    worker.answer({ type: 'result', seq: worker.checks()[1]?.seq ?? -1, findings: [], counts: COUNTS, elapsedMs: 1 });
    expect(checker.store.get().status).toBe('ready');
  });

  it('stops the worker when the article closes', () => {
    const worker = new FakeWorker();
    const checker = new ProofreadChecker<string>(worker, manualTimers());
    checker.dispose();
    expect(worker.terminated).toBe(true);
  });
});

describe('marks and one-click fixes in the editor document', () => {
  const body = docOf(
    paragraph(text('根据'), text('中华人民', [{ type: 'bold' }]), text('共合国宪法，')),
    paragraph(text('会议强调,要落实。')),
  );

  it('marks the exact characters of each finding, across formatting, with its severity', () => {
    const doc = schema.nodeFromJSON(body);
    const plain = buildTextMap(doc).text;
    const start = plain.indexOf('中华人民共合国');
    const decorations = proofDecorations(doc, [finding({ start, end: start + 7, text: '中华人民共合国', suggestion: '中华人民共和国' })]);
    const found = decorations.find();
    expect(found.length).toBeGreaterThan(0);
    const marked = found.map((decoration) => doc.textBetween(decoration.from, decoration.to)).join('');
    expect(marked).toBe('中华人民共合国');
  });

  it('replaces the span with the suggestion', () => {
    const state = EditorState.create({ doc: schema.nodeFromJSON(body) });
    const plain = buildTextMap(state.doc).text;
    const start = plain.indexOf('中华人民共合国');
    const tr = fixTransaction(state, finding({ start, end: start + 7, text: '中华人民共合国', suggestion: '中华人民共和国' }));
    expect(tr).not.toBeNull();
    const after = buildTextMap(state.apply(tr ?? state.tr).doc).text;
    expect(after).toBe('根据中华人民共和国宪法，\n会议强调,要落实。');
  });

  it('fixes a half-width comma in Chinese text', () => {
    const state = EditorState.create({ doc: schema.nodeFromJSON(body) });
    const start = buildTextMap(state.doc).text.indexOf(',');
    const tr = fixTransaction(
      state,
      finding({ rule: 'punct:half-width-in-chinese', family: 'punctuation', start, end: start + 1, text: ',', suggestion: '，' }),
    );
    expect(buildTextMap(state.apply(tr ?? state.tr).doc).text).toContain('会议强调，要落实。');
  });

  it('refuses to fix a span whose text has changed since the check', () => {
    const state = EditorState.create({ doc: schema.nodeFromJSON(body) });
    const start = buildTextMap(state.doc).text.indexOf('中华人民共合国');
    // The writer already corrected it by hand: the stale finding must not overwrite other words.
    expect(fixTransaction(state, finding({ start: start + 1, end: start + 8, text: '中华人民共合国', suggestion: '中华人民共和国' }))).toBeNull();
    expect(fixTransaction(state, finding({ start, end: start + 7, text: '中华人民共合国' }))).toBeNull();
  });
});

describe('the side list', () => {
  it('groups findings by severity in text order', () => {
    const groups = groupFindings([
      finding({ severity: 'warning', start: 9, end: 10, text: 'b' }),
      finding({ severity: 'error', start: 5, end: 6, text: 'a' }),
      finding({ severity: 'warning', start: 2, end: 3, text: 'c' }),
    ]);
    expect(groups.error.map((item) => item.text)).toEqual(['a']);
    expect(groups.warning.map((item) => item.text)).toEqual(['c', 'b']);
    expect(groups.hint).toEqual([]);
  });
});

/** jsdom's File has no text(); the import only needs name, size and text. */
const picked = (name: string, text: string, size = text.length) => ({ name, size, text: async () => text });

describe('importing a pack file', () => {
  it('sends YAML and JSON files to the services with their format', async () => {
    const yaml = await readPackFile(picked('words.yml', 'id: office-words\nname: 本单位\n'));
    expect(yaml).toEqual({ ok: true, text: 'id: office-words\nname: 本单位\n', format: 'yaml' });
    const json = await readPackFile(picked('words.JSON', '\uFEFF{"id":"x"}'));
    expect(json).toEqual({ ok: true, text: '{"id":"x"}', format: 'json' });
  });

  it('refuses an empty or oversized file before sending anything', async () => {
    expect((await readPackFile(picked('empty.json', '  \n'))).ok).toBe(false);
    let read = false;
    const result = await readPackFile({
      name: 'huge.json',
      size: MAX_PACK_FILE_BYTES + 1,
      text: async () => {
        read = true;
        return '{}';
      },
    });
    expect(read).toBe(false);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('文件过大');
  });
});

describe('finding messages in the user’s language', () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const body = docOf(paragraph(text('依照中华人民共合国有关法律,落实工作。')));
  const checked = checkArticle(
    { meta: ArticleMetaSchema.parse({ publishAt: '2021-05-20', meeting: { host: '刘思江' } }), doc: body },
    DEFAULT_PACKS,
  );
  // Stored by a version that wrote Chinese only (e.g. returned with an override).
  const legacy = finding({ rule: 'legacy', severity: 'hint', start: 0, end: 2, text: '依照', message: '旧版本的提示' });

  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const done of cleanups.splice(0)) done();
    settingsStore.set({ ...settingsStore.get(), locale: 'zh-CN' });
  });

  function renderIn(locale: Locale, element: Parameters<ReturnType<typeof createRoot>['render']>[0]): HTMLElement {
    settingsStore.set({ ...settingsStore.get(), locale });
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    act(() => root.render(element));
    cleanups.push(() => {
      act(() => root.unmount());
      container.remove();
    });
    return container;
  }
  const panel = (findings: readonly Finding[]) =>
    createElement(ProofreadPanel, {
      state: { status: 'ready', findings: [...findings], tag: null, error: null, counts: null, elapsedMs: null },
      findings,
      packsError: null,
      readOnly: false,
      onReveal: () => {},
      onApply: () => {},
      onApplyAll: () => {},
    });

  it('the side list shows English messages in the English UI, Chinese ones in the Chinese UI', () => {
    expect(checked.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['protected-term:中华人民共和国', 'punct:half-width-in-chinese', 'metadata:host-missing']),
    );
    const items = (container: HTMLElement) =>
      [...container.querySelectorAll('[data-testid="proof-item"]')].map((item) => item.textContent ?? '').join('\n');
    const english = items(renderIn('en', panel([...checked, legacy])));
    expect(english).toContain('"中华人民共合国" looks like a misspelling of "中华人民共和国"');
    expect(english).toContain('Half-width "," in Chinese text; use the full-width "，"');
    expect(english).toContain('Host "刘思江" is in the metadata but not mentioned in the text');
    expect(english).not.toContain('疑似');
    // Without a key there is nothing to translate: the stored text is shown rather than nothing.
    expect(english).toContain('旧版本的提示');
    expect(items(renderIn('zh-CN', panel(checked)))).toContain('“中华人民共合国”疑似“中华人民共和国”的误写');
  });

  it('the submit gate lists the errors in English in the English UI', () => {
    const dialog = renderIn(
      'en',
      createElement(GateDialog, {
        action: 'submit',
        errors: checked.filter((f) => f.severity === 'error'),
        mayOverride: false,
        onOverride: async () => {},
        onReveal: () => {},
        onRetry: () => {},
        onClose: () => {},
      }),
    );
    expect(dialog.querySelector('[data-testid="gate-errors"]')?.textContent).toContain(
      '"中华人民共合国" looks like a misspelling of "中华人民共和国"',
    );
  });

  it('the mark’s tooltip speaks the given language', () => {
    const doc = schema.nodeFromJSON(body);
    const view = new EditorView(document.createElement('div'), {
      state: EditorState.create({ doc }),
      decorations: () => proofDecorations(doc, checked, 'en'),
    });
    try {
      const titles = [...view.dom.querySelectorAll('.gz-proof')].map((mark) => mark.getAttribute('title'));
      expect(titles).toContain('"中华人民共合国" looks like a misspelling of "中华人民共和国": "合" sounds the same as "和" (a homophone) → 中华人民共和国');
      expect(titles.join('')).not.toContain('疑似');
    } finally {
      view.destroy();
    }
  });
});

/** A half-width-comma warning for every ',' in the document, as the checker reports them. */
function commaFindings(doc: Doc): Finding[] {
  const plain = buildTextMap(schema.nodeFromJSON(doc)).text;
  const found: Finding[] = [];
  for (let at = plain.indexOf(','); at >= 0; at = plain.indexOf(',', at + 1)) {
    found.push({ rule: 'punct:half-width-in-chinese', family: 'punctuation', severity: 'warning', start: at, end: at + 1, text: ',', message: '半角', suggestion: '，' });
  }
  return found;
}

describe('marks in a long article', () => {
  // Thousands of mark elements slow every keystroke (bench/editor.ts), so only those near the screen are drawn.
  const paragraphs = Array.from({ length: 60 }, (_, i) => paragraph(text(`第${i + 1}段,内容`)));
  /** Pretends the screen shows paragraphs [first, last] (1-based): jsdom lays nothing out. */
  function showParagraphs(editor: Editor, first: number, last: number) {
    const startOf = (n: number) => {
      let pos = 0;
      editor.state.doc.forEach((_node, offset, index) => {
        if (index === n - 1) pos = offset + 1;
      });
      return pos;
    };
    editor.view.dom.getBoundingClientRect = () => ({ top: 0, bottom: 6000, left: 0, right: 800, width: 800, height: 6000, x: 0, y: 0, toJSON: () => ({}) });
    editor.view.posAtCoords = ({ top }) => ({ pos: top < 10 ? startOf(first) : startOf(last) + 3, inside: -1 });
  }
  const drawnParagraphs = (editor: Editor) =>
    [...editor.view.dom.querySelectorAll('.gz-proof')].map((mark) => mark.parentElement?.textContent?.match(/第(\d+)段/)?.[1]).map(Number);

  it('draws the marks around what is on screen, and the others when the writer scrolls to them', async () => {
    const doc = docOf(...paragraphs);
    const editor = new Editor({ extensions: articleExtensions({ placeholder: () => '', onLinkShortcut: () => {} }), content: doc });
    try {
      showParagraphs(editor, 20, 25);
      expect(showProofMarks(editor, editor.state.doc, commaFindings(doc), 'zh-CN')).toBe(true);
      const first = drawnParagraphs(editor);
      // The screen and about a screen either side; nothing near the end.
      expect(first).toContain(20);
      expect(first).toContain(25);
      expect(first).toContain(16);
      expect(first).not.toContain(60);
      expect(first.length).toBeLessThan(30);

      showParagraphs(editor, 55, 60);
      window.dispatchEvent(new Event('scroll'));
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      const after = drawnParagraphs(editor);
      expect(after).toContain(60);
      expect(after).toContain(55);
      expect(after).not.toContain(20);

      // Marks still follow edits: typing above them moves them along with their words.
      editor.commands.insertContentAt(1, '新增文字');
      expect(drawnParagraphs(editor)).toContain(60);
      expect([...editor.view.dom.querySelectorAll('.gz-proof')].every((mark) => mark.textContent === ',')).toBe(true);
    } finally {
      editor.destroy();
    }
  });

  it('draws every mark where nothing is laid out (no screen to measure)', () => {
    const doc = docOf(...paragraphs);
    const editor = new Editor({ extensions: articleExtensions({ placeholder: () => '', onLinkShortcut: () => {} }), content: doc });
    try {
      showProofMarks(editor, editor.state.doc, commaFindings(doc), 'zh-CN');
      expect(drawnParagraphs(editor)).toHaveLength(60);
    } finally {
      editor.destroy();
    }
  });
});

describe('fixing every finding of one kind at once', () => {

  it('offers one "change all" per kind seen more than once, not for single ones or findings without a fix', () => {
    const doc = docOf(paragraph(text('会议指出,要加强领导,狠抓落实。')), paragraph(text('中华人民共合国')));
    const single = finding({ start: 17, end: 24, text: '中华人民共合国', suggestion: '中华人民共和国' });
    const noFix = { ...single, rule: 'a11y:long-paragraph', suggestion: undefined };
    const batches = fixBatches([...commaFindings(doc), single, noFix]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ suggestion: '，' });
    expect(batches[0]?.findings).toHaveLength(2);
  });

  it('fixes them all in one step that one undo takes back, skipping any whose text has changed', () => {
    const doc = docOf(paragraph(text('会议指出,要加强领导,狠抓落实,确保实效。')), paragraph(text('二是,抓好安全。')));
    const editor = new Editor({ extensions: articleExtensions({ placeholder: () => '', onLinkShortcut: () => {} }), content: doc });
    try {
      const found = commaFindings(doc);
      // The writer already changed the second comma by hand: that one is no longer what was checked.
      const stale = found[1] as Finding;
      const map = buildTextMap(editor.state.doc);
      const at = map.segments[0]!.pmStart + stale.start;
      editor.commands.insertContentAt({ from: at, to: at + 1 }, '；');
      expect(applySuggestions(editor, found)).toBe(3);
      expect(editor.getText({ blockSeparator: '\n' })).toBe('会议指出，要加强领导；狠抓落实，确保实效。\n二是，抓好安全。');
      editor.commands.undo();
      expect(editor.getText({ blockSeparator: '\n' })).toBe('会议指出,要加强领导；狠抓落实,确保实效。\n二是,抓好安全。');
    } finally {
      editor.destroy();
    }
  });

  it('the panel shows the count on the button and hands over the whole kind', () => {
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    const doc = docOf(paragraph(text('一,二,三,四。')));
    const found = commaFindings(doc);
    let handed: readonly Finding[] = [];
    act(() =>
      root.render(
        createElement(ProofreadPanel, {
          state: { status: 'ready', findings: found, tag: null, error: null, counts: null, elapsedMs: null },
          findings: found,
          packsError: null,
          readOnly: false,
          onReveal: () => {},
          onApply: () => {},
          onApplyAll: (findings) => {
            handed = findings;
          },
        }),
      ),
    );
    try {
      const button = [...container.querySelectorAll('button')].find((b) => b.textContent?.startsWith('全部'));
      expect(button?.textContent).toBe('全部“,”改为“，”（3 处）');
      act(() => button?.click());
      expect(handed).toHaveLength(3);
    } finally {
      act(() => root.unmount());
      container.remove();
    }
  });
});
