import type { Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Doc } from '../../../shared/domain/doc';
import type { Finding } from '../../../shared/proofread/types';
import type { EditorSession } from '../state/editor-session';
import { useLocale } from '../state/settings';
import { useStore } from '../state/store';
import { type CheckerPort, ProofreadChecker, type ProofreadState, startProofreadWorker } from './checker';
import { findingKey, showProofMarks } from './marks';
import { checkStored, loadPacks } from './proofread-actions';

const CHECK_NOW_TIMEOUT_MS = 3000;

function overriddenKeys(findings: readonly Finding[]): string[] {
  return findings.filter((finding) => finding.overridden).map(findingKey);
}

/** What 忽略 hides: this rule on this wording, wherever it stands in the article (its offset moves as text is typed). */
function ignoreKey(finding: Finding): string {
  return `${finding.rule}\u0000${finding.text}`;
}

/** What the editor screen gets from {@link useProofreading}. */
export interface Proofreading {
  state: ProofreadState<ProseMirrorNode>;
  /** Findings still shown (overridden and ignored ones removed). */
  findings: Finding[];
  /** Errors still standing: an ignored error is hidden from view but still needs an override to submit. */
  errors: Finding[];
  /** 忽略: hides the finding's kind at that wording while the article is open (nothing is recorded). */
  ignore(finding: Finding): void;
  /** Records an override locally once the services accepted it (with their answer's findings, when there). */
  markOverridden(finding: Finding, serverFindings?: readonly Finding[]): void;
  /** Checks now, skipping the debounce; resolves with the errors of the fresh answer. */
  checkNow(): Promise<Finding[]>;
  packsError: string | null;
  /** Fetches the packs again (after settings changed them). */
  reloadPacks(): void;
}

/**
 * Runs the checks for one open article: a worker per editor screen, fed the
 * editor's document (debounced, latest wins) and the session's metadata, and
 * puts the answer into the editor as marks.
 */
export function useProofreading(
  session: EditorSession,
  getEditor: () => Editor | null,
  editorKey: number,
  startWorker: () => CheckerPort = startProofreadWorker,
): Proofreading {
  const [checker] = useState(() => new ProofreadChecker<ProseMirrorNode>(startWorker()));
  const state = useStore(checker.store);
  const [overridden, setOverridden] = useState<ReadonlySet<string>>(() => new Set());
  const [ignored, setIgnored] = useState<ReadonlySet<string>>(() => new Set());
  const overriddenRef = useRef(overridden);
  overriddenRef.current = overridden;
  const [packsError, setPacksError] = useState<string | null>(null);
  const [packsToken, setPacksToken] = useState(0);
  const locale = useLocale();

  useEffect(() => () => checker.dispose(), [checker]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: packsToken is the explicit "fetch again" trigger
  useEffect(() => {
    let cancelled = false;
    loadPacks().then(
      (list) => {
        if (cancelled) return;
        setPacksError(null);
        checker.setPacks(list.packs.map((info) => info.pack));
      },
      (error: unknown) => {
        if (!cancelled) setPacksError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [checker, packsToken]);

  const produce = useCallback(() => {
    const editor = getEditor();
    if (!editor || editor.isDestroyed) throw new Error('editor not ready');
    return { input: { meta: session.store.get().meta, doc: editor.getJSON() as Doc }, tag: editor.state.doc };
  }, [getEditor, session]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new editor (editorKey) must be watched again
  useEffect(() => {
    const editor = getEditor();
    if (!editor) return;
    const onUpdate = () => checker.request(produce);
    editor.on('update', onUpdate);
    checker.requestNow(produce);
    let lastMeta = session.store.get().meta;
    const unsubscribe = session.store.subscribe(() => {
      const meta = session.store.get().meta;
      if (meta !== lastMeta) {
        lastMeta = meta;
        checker.request(produce);
      }
    });
    return () => {
      editor.off('update', onUpdate);
      unsubscribe();
    };
  }, [checker, produce, editorKey, session]);

  const standing = useMemo(
    () => state.findings.filter((finding) => !overridden.has(findingKey(finding))),
    [state.findings, overridden],
  );
  const findings = useMemo(() => standing.filter((finding) => !ignored.has(ignoreKey(finding))), [standing, ignored]);

  useEffect(() => {
    const editor = getEditor();
    if (editor && state.tag) showProofMarks(editor, state.tag, findings, locale);
  }, [findings, state.tag, getEditor, locale]);

  // Overrides live with the article on the services' side; the worker's findings know nothing of them.
  useEffect(() => {
    let cancelled = false;
    checkStored(session.articleId).then(
      (result) => {
        if (!cancelled) setOverridden((set) => new Set<string>([...set, ...overriddenKeys(result.findings)]));
      },
      () => {
        // Without the stored overrides the list may show an error already let through; the services' gate still knows.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [session]);

  const markOverridden = useCallback((finding: Finding, serverFindings?: readonly Finding[]) => {
    setOverridden((set) => new Set<string>([...set, findingKey(finding), ...(serverFindings ? overriddenKeys(serverFindings) : [])]));
  }, []);

  const checkNow = useCallback(
    () =>
      new Promise<Finding[]>((resolve) => {
        const standingErrors = () =>
          checker.store
            .get()
            .findings.filter((finding) => finding.severity === 'error' && !overriddenRef.current.has(findingKey(finding)));
        // Without packs (or with a stuck worker) the services' own gate still decides; do not hang the button.
        const giveUp = window.setTimeout(() => {
          unsubscribe();
          resolve(standingErrors());
        }, CHECK_NOW_TIMEOUT_MS);
        const unsubscribe = checker.store.subscribe(() => {
          const next = checker.store.get();
          if (next.status === 'ready' || next.status === 'failed') {
            window.clearTimeout(giveUp);
            unsubscribe();
            resolve(standingErrors());
          }
        });
        checker.requestNow(produce);
      }),
    [checker, produce],
  );

  return {
    state,
    findings,
    errors: useMemo(() => standing.filter((finding) => finding.severity === 'error'), [standing]),
    ignore: useCallback((finding: Finding) => setIgnored((set) => new Set<string>([...set, ignoreKey(finding)])), []),
    markOverridden,
    checkNow,
    packsError,
    reloadPacks: () => setPacksToken((n) => n + 1),
  };
}
