import type { RulePack } from '../packs';
import { TOWN_NAMES, TOWN_NAMES_SOURCE, TOWN_NAMES_VERSION } from './town-names';

let towns: RulePack | null = null;

/** Every township-level division (镇、乡、街道、苏木): 30,000 names, a near miss reported only where the text makes no ordinary word. */
export function townsPack(): RulePack {
  towns ??= {
    id: 'places-town',
    name: '乡级行政区划名称（乡、镇、街道）',
    kind: 'protected',
    source: TOWN_NAMES_SOURCE,
    version: TOWN_NAMES_VERSION,
    nearMisses: 'unless-words',
    entries: TOWN_NAMES.split('\n').map((text) => ({ text })),
  };
  return towns;
}

/**
 * Shipped packs the office turns on itself: an administrator adds one to the
 * office's packs (it then travels to every desktop with them, and leaves by
 * deleting it there). Kept out of the defaults because they are large and not
 * every office wants them; built on first use.
 */
export function optionalPacks(): RulePack[] {
  return [townsPack()];
}
