import type { RulePack } from '../packs';
import { CHAR_CONFUSION_SOURCE, CHAR_CONFUSIONS } from './char-confusions';
import { COMMON_MISSPELLINGS_PACK, YAOWEN_JIAOZI_PACK } from './common-misspellings';
import { CONFUSABLES_PACK } from './confusables';
import { MISSPELLING_PACK } from './lists';
import { VARIANT_FORMS_PACK } from './variant-forms';

/** Forms the hand-made lists already report (with their own source and severity). */
const HAND_LISTED = new Set(
  [MISSPELLING_PACK, CONFUSABLES_PACK, YAOWEN_JIAOZI_PACK, COMMON_MISSPELLINGS_PACK, VARIANT_FORMS_PACK].flatMap((pack) => pack.entries.map((entry) => entry.text)),
);

/**
 * Common words with one character swapped for a same-sounding or
 * similar-looking one (竞争 → 竟争 is found by 竟赛-style pairs). Warnings,
 * not errors: a two-character form can still be someone's given name (严俊).
 */
export const CHAR_CONFUSION_PACK: RulePack = {
  id: 'default-char-confusions',
  name: '同音、形近误用字',
  kind: 'misspelling',
  source: CHAR_CONFUSION_SOURCE,
  version: '2024.2',
  entries: CHAR_CONFUSIONS.split(' ').flatMap((line) => {
    const [text, suggestion, swap] = line.split(':') as [string, string, string];
    // A form the hand-made lists report as wrong is never suggested (折忠 → 折衷, itself a variant of 折中).
    if (HAND_LISTED.has(text) || HAND_LISTED.has(suggestion)) return [];
    return { text, suggestion, severity: 'warning' as const, note: `“${swap[1]}”误写作“${swap[0]}”` };
  }),
};
