import type { Locale } from '../domain/settings';
import { type MessageKey, translate } from '../i18n';
import { shortHash } from './canonical';
import { statusLabel } from './messages';

/** How an approval's Ed25519 signature checked out against the trusted keys. */
export type SignatureStatus = 'valid' | 'invalid' | 'missing' | 'unknownKey';

/** One row of the sheet: a stage and (if any) its approval. */
export interface SignoffStage {
  stageId: string;
  stageName: string;
  reviewer: string | null;
  at: string | null;
  opinion: string;
  contentHash: string | null;
  signature: SignatureStatus | null;
  /** The approval is of the current text. */
  current: boolean;
}

/** Everything the 审核表 prints; built by the services, rendered by {@link signoffHtml} or as PDF. */
export interface SignoffSheet {
  articleId: string;
  title: string;
  column: string[];
  source: string;
  date: string | null;
  status: string;
  submittedBy: string | null;
  stages: SignoffStage[];
  invalidated: { stageName: string; reviewer: string; at: string; contentHash: string; reason: string }[];
  currentHash: string;
  fullyApproved: boolean;
  printedAt: string;
}

/** A label row of the sheet as text pairs, shared by the HTML and PDF renderings. */
export function signoffFields(sheet: SignoffSheet, locale: Locale = 'zh-CN'): [string, string][] {
  const t = (key: MessageKey) => translate(locale, key);
  const none = t('signoff.none');
  return [
    [t('signoff.article'), sheet.title || none],
    [t('signoff.column'), sheet.column.join(' > ') || none],
    [t('signoff.source'), sheet.source || none],
    [t('signoff.date'), sheet.date ?? none],
    [t('signoff.status'), statusLabel(sheet.status, locale)],
    [t('signoff.submittedBy'), sheet.submittedBy ?? none],
  ];
}

/** The printable cells of one stage: stage, reviewer, time, opinion, hash, signature. */
export function signoffStageCells(stage: SignoffStage, locale: Locale = 'zh-CN'): string[] {
  const t = (key: MessageKey) => translate(locale, key);
  if (!stage.reviewer) return [stage.stageName, t('signoff.pending'), '', '', '', ''];
  const hash = stage.contentHash ? `${shortHash(stage.contentHash)} ${stage.contentHash}` : '';
  return [
    stage.stageName,
    stage.reviewer,
    formatTime(stage.at),
    stage.opinion,
    stage.current ? hash : `${hash} ${t('signoff.stale')}`,
    stage.signature ? t(`signoff.signature.${stage.signature}`) : '',
  ];
}

/** Local wall-clock time for print (YYYY-MM-DD HH:mm). */
export function formatTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** The sign-off sheet as a standalone printable HTML document (no scripts, no external resources). */
export function signoffHtml(sheet: SignoffSheet, locale: Locale = 'zh-CN'): string {
  const t = (key: MessageKey) => translate(locale, key);
  const fields = signoffFields(sheet, locale)
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const head = ['signoff.stage', 'signoff.reviewer', 'signoff.time', 'signoff.opinion', 'signoff.hash', 'signoff.signature'] as const;
  const stageRows = sheet.stages
    .map((stage) => {
      const cells = signoffStageCells(stage, locale).map((cell, i) =>
        i === 4 && cell ? `<td class="hash">${escapeHtml(cell)}</td>` : `<td>${escapeHtml(cell)}</td>`,
      );
      return `<tr data-stage="${escapeHtml(stage.stageId)}">${cells.join('')}</tr>`;
    })
    .join('\n');
  const invalidated =
    sheet.invalidated.length === 0
      ? ''
      : `<h2>${escapeHtml(t('signoff.invalidated'))}</h2>\n<ul class="invalidated">${sheet.invalidated
          .map(
            (a) =>
              `<li>${escapeHtml(a.stageName)} · ${escapeHtml(a.reviewer)} · ${escapeHtml(formatTime(a.at))} · ${escapeHtml(shortHash(a.contentHash))} — ${escapeHtml(a.reason)}</li>`,
          )
          .join('')}</ul>`;
  return `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${t('signoff.title')} — ${sheet.title}`)}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", SimSun, sans-serif; margin: 2em; color: #000; }
h1 { text-align: center; letter-spacing: 0.5em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #000; padding: 0.4em 0.6em; text-align: left; vertical-align: top; }
th { width: 8em; background: #f2f2f2; }
td.hash { font-family: monospace; font-size: 0.8em; word-break: break-all; }
.verdict { font-weight: bold; }
footer { margin-top: 2em; font-size: 0.9em; }
</style>
</head>
<body>
<h1>${escapeHtml(t('signoff.title'))}</h1>
<table class="fields">
${fields}
</table>
<table class="stages">
<tr>${head.map((k) => `<th>${escapeHtml(t(k))}</th>`).join('')}</tr>
${stageRows}
</table>
${invalidated}
<p class="verdict">${escapeHtml(t(sheet.fullyApproved ? 'signoff.fullyApproved' : 'signoff.notApproved'))}</p>
<footer>
<div>${escapeHtml(t('signoff.currentHash'))}：<span class="hash">${escapeHtml(sheet.currentHash)}</span>（${escapeHtml(shortHash(sheet.currentHash))}）</div>
<div>${escapeHtml(t('signoff.printedAt'))}：${escapeHtml(formatTime(sheet.printedAt))}</div>
</footer>
</body>
</html>
`;
}
