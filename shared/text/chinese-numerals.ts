const CHINESE_DIGITS = '〇一二三四五六七八九';

/**
 * A year, month or day in figures or Chinese numerals (二〇二四, 十二, 二十三, 三十一) as
 * a number; in a four-character year any other zero (零, ○, Ｏ) counts as 〇.
 */
export function chineseNumeralValue(written: string): number {
  if (/^\d+$/.test(written)) return Number(written);
  if (written.length === 4) {
    return Number([...written].map((char) => Math.max(0, CHINESE_DIGITS.indexOf(char))).join(''));
  }
  const ten = written.indexOf('十');
  if (ten < 0) return CHINESE_DIGITS.indexOf(written);
  const tens = ten === 0 ? 1 : CHINESE_DIGITS.indexOf(written[0] as string);
  const ones = ten === written.length - 1 ? 0 : CHINESE_DIGITS.indexOf(written[ten + 1] as string);
  return tens * 10 + ones;
}
