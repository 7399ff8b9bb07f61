import type { RulePacks } from '../packs';
import { LOOKALIKE_GROUPS } from './lookalikes';
import { MISSPELLING_PACK, OUTDATED_PACK, SENSITIVE_PACK } from './lists';
import { ALLOW_COMMON_WORDS_PACK, PROTECTED_FORMULATIONS_PACK, PROTECTED_LEADERS_PACK, PROTECTED_NATIONAL_PACK } from './protected';

/** The packs shipped with the app (read-only; the office adds its own in `<workspace>/rules/`). */
export const DEFAULT_PACKS: RulePacks = [
  PROTECTED_NATIONAL_PACK,
  PROTECTED_LEADERS_PACK,
  PROTECTED_FORMULATIONS_PACK,
  ALLOW_COMMON_WORDS_PACK,
  SENSITIVE_PACK,
  MISSPELLING_PACK,
  OUTDATED_PACK,
];

export { LOOKALIKE_GROUPS };
