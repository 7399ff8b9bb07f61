// Chinese text for the benches: words made of common characters from government news, drawn with
// Zipf frequencies (word k weighted 1/(k+1)) from a seeded generator, so every run writes the same text.

// ~2,500 common characters would be ideal; these ~400 from government news give realistic pairs.
export const NEWS_CHARS =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞乡村振兴镇街道社区党建扶贫攻坚生态环保绿色发展产业项目招商引资营商环境改革创新服务群众';

/** A seeded source of random numbers and of words drawn from a 6,000-word vocabulary over `chars`. */
export function chineseWords(seed: number, chars: string = NEWS_CHARS): { random: () => number; word: () => string } {
  const characters = [...chars];
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const vocab: string[] = Array.from({ length: 6000 }, () => {
    const length = random() < 0.7 ? 2 : random() < 0.6 ? 3 : 4;
    return Array.from({ length }, () => characters[Math.floor(random() * characters.length)]).join('');
  });
  const cumulative: number[] = [];
  vocab.reduce((sum, _, k) => {
    const next = sum + 1 / (k + 1);
    cumulative.push(next);
    return next;
  }, 0);
  const word = (): string => {
    const x = random() * (cumulative.at(-1) ?? 1);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo] ?? '';
  };
  return { random, word };
}
