import type { RulePack } from '../packs';
import { CITY_NAMES, COUNTY_NAMES, PLACE_NAMES_SOURCE, PLACE_NAMES_VERSION, PROVINCE_NAMES } from './place-names';

/**
 * Two-character names (赵县, 城区, 郊区) are left out: most are also everyday
 * words, and a look-alike of a two-character word is usually another word.
 */
const placeEntries = (names: readonly string[], note: string) =>
  names.filter((name) => [...name].length >= 3).map((text) => ({ text, note }));

/** Province-level divisions: a dropped, added or substituted character is an error. */
export const PROTECTED_PROVINCES_PACK: RulePack = {
  id: 'default-places-province',
  name: '省级行政区划名称',
  kind: 'protected',
  source: PLACE_NAMES_SOURCE,
  version: PLACE_NAMES_VERSION,
  entries: placeEntries(PROVINCE_NAMES, '省级行政区划'),
};

/** Prefecture-level divisions (地级市、地区、自治州、盟). */
export const PROTECTED_CITIES_PACK: RulePack = {
  id: 'default-places-city',
  name: '地级行政区划名称',
  kind: 'protected',
  source: PLACE_NAMES_SOURCE,
  version: PLACE_NAMES_VERSION,
  entries: placeEntries(CITY_NAMES, '地级行政区划'),
};

/** County-level divisions (市辖区、县、县级市、自治县、旗、自治旗、林区、特区). */
export const PROTECTED_COUNTIES_PACK: RulePack = {
  id: 'default-places-county',
  name: '县级行政区划名称',
  kind: 'protected',
  source: PLACE_NAMES_SOURCE,
  version: PLACE_NAMES_VERSION,
  entries: placeEntries(COUNTY_NAMES, '县级行政区划'),
};
