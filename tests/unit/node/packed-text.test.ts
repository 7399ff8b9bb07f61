import { describe, expect, it } from 'vitest';
import { containsPacked, packTerm, packText, packUtf16, unpackText } from '../../../node/services/store/packed-text';

/** Every search a plain string search would make, through the packed forms. */
function packedIncludes(text: string, term: string): boolean {
  const packedTerm = packTerm(term);
  return packedTerm !== null && containsPacked(packText(text), packedTerm);
}

describe('packed search texts', () => {
  it('give back every text exactly: common and rare Han, Latin, digits, a character outside the BMP, a lone surrogate', () => {
    const rare = Array.from({ length: 9000 }, (_, i) => String.fromCharCode(0x4e00 + i * 2)).join('');
    for (const text of ['', '的', '区政府召开常务会议\n审议《工作要点》', 'abc 123 Āā 𠮷 \ud800 ᠠ', rare]) {
      expect(unpackText(packText(text))).toBe(text);
    }
  });

  it('take less memory than the text for Chinese prose (one byte for the commonest characters)', () => {
    const text = '区政府召开常务会议，研究部署安全生产、防汛和乡村振兴工作。会议要求，各部门要提高政治站位，压实工作责任。';
    // A JS string holds this sentence in two bytes per character.
    expect(packText(text).length).toBeLessThanOrEqual(text.length * 2 * 0.75);
  });

  it('find exactly what String.includes finds, also where a term’s bytes occur across two characters', () => {
    // Enough distinct characters that many have two- and three-byte codes whose trail bytes equal other characters' one-byte codes.
    const alphabet = [...'的一是在不了有和人这中大为上国我以要他时来用们生到作地于出就分对成会', ...Array.from({ length: 400 }, (_, i) => String.fromCharCode(0x5000 + i * 37)), ...'abc1'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pick = () => alphabet[Math.floor(random() * alphabet.length)] as string;
    let checked = 0;
    let found = 0;
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 200 }, pick).join('');
      packText(text);
      for (let k = 0; k < 20; k++) {
        // Half the terms are cut out of the text (found), half made up (mostly not).
        const start = Math.floor(random() * 190);
        const term = k % 2 === 0 ? text.slice(start, start + 1 + Math.floor(random() * 4)) : Array.from({ length: 1 + (k % 3) }, pick).join('');
        expect(packedIncludes(text, term)).toBe(text.includes(term));
        checked++;
        if (text.includes(term)) found++;
      }
    }
    expect(checked).toBe(6000);
    expect(found).toBeGreaterThan(3000);
  });

  it('do not match a term whose bytes are the tail of another character’s code', () => {
    // A rare character gets a multi-byte code; its trail byte is some common character's one-byte code.
    const rare = String.fromCharCode(0x9fa0);
    const packed = packText(rare);
    expect(packed.length).toBeGreaterThan(1);
    const tail = unpackText(packed.slice(-1));
    expect(tail.length).toBe(1);
    expect(packedIncludes(rare, tail)).toBe(false);
    expect(packedIncludes(`${tail}${rare}`, tail)).toBe(true);
  });

  it('match nothing for a term with a character no text has, and do not grow the table for queries', () => {
    const unseen = String.fromCharCode(0xa4d0);
    expect(packTerm(`区${unseen}`)).toBeNull();
    expect(packTerm(unseen)).toBeNull();
  });

  it('pack UTF-16LE bytes the same as the decoded string', () => {
    const text = '会议学习习近平总书记重要讲话精神 2026';
    const data = Buffer.concat([Buffer.from([1, 2]), Buffer.from(text, 'utf16le')]);
    expect(packUtf16(data, 2, data.length)).toBe(packText(text));
  });
});
