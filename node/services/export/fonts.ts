import { execFile } from 'node:child_process';
import type { FontRole } from './gongwen-model';
import { type NoteMessage, note } from '../../../shared/i18n/note';

/**
 * The typefaces GB/T 9704-2012 names, each with the fonts that stand in for
 * it where it is not installed: Windows ships 仿宋/黑体/楷体 under other names
 * than the GB2312-era fonts offices install, and a Linux machine usually has
 * only Noto CJK. The first name is what the Word file asks for; the chain is
 * what the print (HTML → PDF) layout lists for the browser to choose from.
 */
export const FONT_CHAINS: Record<FontRole | 'pageNumber', readonly string[]> = {
  body: ['仿宋_GB2312', '仿宋', 'FangSong', 'Noto Serif CJK SC'],
  title: ['方正小标宋简体', '方正小标宋_GBK', '华文中宋', 'STZhongsong', 'Noto Serif CJK SC'],
  hei: ['黑体', 'SimHei', 'Noto Sans CJK SC'],
  kai: ['楷体_GB2312', '楷体', 'KaiTi', 'AR PL UKai CN', 'Noto Serif CJK SC'],
  pageNumber: ['宋体', 'SimSun', 'Noto Serif CJK SC'],
};

/**
 * What the Word file's font table (word/fontTable.xml) declares for each font
 * it asks for: `altNames` become `w:altName`, which Word and LibreOffice try in
 * order when the named font is missing, before guessing from metrics — so a
 * Windows machine without the GB2312-era fonts shows 仿宋 rather than 宋体.
 * Only names that are the same design go here (unlike {@link FONT_CHAINS},
 * which also lists look-alikes for the screen). charset 86 is GB2312: it
 * keeps a substitute, if any, among Chinese fonts.
 */
export const WORD_FONT_TABLE: readonly { name: string; altNames: readonly string[]; charset?: string }[] = [
  { name: '仿宋_GB2312', altNames: ['仿宋', 'FangSong'], charset: '86' },
  { name: '仿宋', altNames: ['FangSong'], charset: '86' },
  { name: '方正小标宋简体', altNames: ['方正小标宋_GBK', '宋体', 'SimSun'], charset: '86' },
  { name: '黑体', altNames: ['SimHei'], charset: '86' },
  { name: '楷体_GB2312', altNames: ['楷体', 'KaiTi'], charset: '86' },
  { name: '楷体', altNames: ['KaiTi'], charset: '86' },
  { name: '宋体', altNames: ['SimSun'], charset: '86' },
  { name: 'Times New Roman', altNames: [] },
];

/** Latin letters and digits in body text: the face Word's 公文 templates use for them. */
export const LATIN_FONT = 'Times New Roman';

export interface FontSubstitution {
  role: FontRole | 'pageNumber';
  wanted: string;
  /** The first font of the chain installed here, or null when none is. */
  used: string | null;
}

let installedCache: Promise<Set<string> | null> | null = null;

/** Families fontconfig knows here (every localized name), or null when fc-list cannot run (Windows, no fontconfig). */
export function installedFamilies(): Promise<Set<string> | null> {
  installedCache ??= new Promise((resolve) => {
    execFile('fc-list', [':', 'family'], { maxBuffer: 16 * 1024 * 1024, timeout: 10_000 }, (error, stdout) => {
      if (error) {
        resolve(null);
        return;
      }
      const families = new Set<string>();
      for (const line of stdout.split('\n')) {
        for (const name of line.split(',')) if (name.trim()) families.add(name.trim().replace(/\\-/gu, '-'));
      }
      resolve(families);
    });
  });
  return installedCache;
}

/** Which wanted fonts are missing here, and what this machine will use instead. */
export function substitutions(installed: Set<string>): FontSubstitution[] {
  const out: FontSubstitution[] = [];
  for (const [role, chain] of Object.entries(FONT_CHAINS) as [FontSubstitution['role'], readonly string[]][]) {
    const wanted = chain[0] ?? '';
    if (installed.has(wanted)) continue;
    out.push({ role, wanted, used: chain.find((name) => installed.has(name)) ?? null });
  }
  return out;
}

/** The substitutions as notes for the person exporting, in the language they read. */
export async function fontNotes(format: 'docx' | 'pdf'): Promise<NoteMessage[]> {
  const installed = await installedFamilies();
  if (!installed) return [note('exportNote.fontsUnknown')];
  return substitutions(installed).map((s) =>
    s.used
      ? note(`exportNote.fontSubstituted.${format}`, { wanted: s.wanted, used: s.used })
      : note(`exportNote.fontMissing.${format}`, { wanted: s.wanted, fallbacks: FONT_CHAINS[s.role].slice(1).join('、') }),
  );
}
