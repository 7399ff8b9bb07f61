import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/errors';
import { docToPlainText } from '../../../shared/domain/doc';
import { isChromeLine, isPageEndLine, parseBreadcrumb, parseInfoLine } from '../../../node/services/import/header';
import { decodeText, type ImportDraft, importFileBuffer, importPortalText } from '../../../node/services/import/index';
import { noteText } from '../../../shared/i18n/note';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/portal/${name}`, import.meta.url));
const importFixture = (name: string): Promise<ImportDraft> => importFileBuffer(name, fixture(name));
const bodyText = (draft: ImportDraft): string => docToPlainText(draft.doc);

describe('portal sample article (2021-05-20)', () => {
  it('recognises title, date, source and column', async () => {
    const draft = await importFixture('sample-2021-05-20.txt');
    expect(draft.meta.title).toBe('新乡经开区召开全区领导干部会议 传达学习习近平总书记重要讲话指示精神');
    expect(draft.meta.publishAt).toBe('2021-05-20');
    expect(draft.meta.source).toBe('区党政办');
    expect(draft.meta.column).toEqual(['首页', '要闻动态', '政务要闻']);
    expect(draft.fields).toMatchObject({ date: '2021-05-20', time: null, source: '区党政办', author: null });
    expect(draft.warnings).toEqual([]);
    expect(draft.unrecognised).toEqual([]);
  });

  it('keeps the six body paragraphs and drops the share bar', async () => {
    const draft = await importFixture('sample-2021-05-20.txt');
    // The page has six blank-line-separated paragraphs between the info line and 分享到.
    expect(draft.doc.content).toHaveLength(6);
    expect(draft.fields.paragraphs).toHaveLength(6);
    expect(draft.fields.paragraphs[0]).toMatch(/^5月19日,经开区召开全区领导干部会议/u);
    expect(draft.fields.paragraphs[4]).toMatch(/^会议还对当前工作进行强调/u);
    expect(bodyText(draft)).not.toContain('分享到');
    expect(bodyText(draft)).not.toContain('时间:2021-05-20');
    expect(bodyText(draft)).not.toContain(draft.meta.title);
  });

  it('marks the closing attendees paragraph and reads it into meeting data', async () => {
    const draft = await importFixture('sample-2021-05-20.txt');
    const last = draft.doc.content[draft.doc.content.length - 1];
    expect(last?.attrs?.role).toBe('attendees');
    expect(draft.meta.template).toBe('meeting');
    expect(draft.meta.meeting).toMatchObject({
      name: '全区领导干部会议',
      host: '区党工委书记刘思江',
      headcount: { count: 150, approximate: true },
    });
    expect(draft.meta.meeting?.attendees).toHaveLength(6);
  });
});

describe('other portal page styles', () => {
  it('当前位置 with >, subtitle, 发布日期 with time, 信息来源, and a （记者 …） byline', async () => {
    const draft = await importFixture('gt-breadcrumb-byline.txt');
    expect(draft.meta.column).toEqual(['首页', '政务公开', '部门动态']);
    expect(draft.meta.title).toBe('区市场监管局开展节前食品安全专项检查');
    expect(draft.meta.subtitle).toBe('守护群众“舌尖上的安全”');
    expect(draft.meta.publishAt).toBe('2023-06-21T10:51');
    expect(draft.fields.time).toBe('10:51');
    expect(draft.meta.source).toBe('区市场监管局');
    expect(draft.meta.author).toBe('王晓明');
    const text = bodyText(draft);
    expect(text).not.toContain('（记者 王晓明）');
    expect(text).toMatch(/切实保障群众节日饮食安全。$/u);
    for (const chrome of ['【打印】', '上一篇', '下一篇', '主办单位', 'ICP备', '访问量']) expect(text).not.toContain(chrome);
    // Indentation is a style: the full-width spaces are gone.
    expect(draft.fields.paragraphs.every((paragraph) => !paragraph.startsWith('\u3000'))).toBe(true);
  });

  it('keeps a body line that merely starts with 打印', async () => {
    const draft = await importFixture('gt-breadcrumb-byline.txt');
    expect(draft.fields.paragraphs).toContain('打印并张贴《食品安全承诺书》是本次检查的一项新要求，各经营单位须在醒目位置公示。');
  });

  it('lists the site banner above the breadcrumb as unrecognised and keeps it at the top of the body', async () => {
    const draft = await importFixture('gt-breadcrumb-byline.txt');
    expect(draft.unrecognised).toEqual(['新乡经济技术开发区管理委员会']);
    expect(draft.fields.paragraphs[0]).toBe('新乡经济技术开发区管理委员会');
    expect(draft.warnings.map((w) => noteText(w)).join('')).toContain('1 行');
  });

  it('GB18030 file: 您现在的位置 with >>, 发布时间 in 年月日 form, body lines mentioning 时间/来源 kept', async () => {
    const draft = await importFixture('gb18030-notice.txt');
    expect(draft.meta.column).toEqual(['首页', '通知公告']);
    expect(draft.meta.title).toBe('关于做好2022年春季学期开学工作的通知');
    expect(draft.meta.publishAt).toBe('2022-03-05T09:30');
    expect(draft.meta.source).toBe('区教育局');
    const paragraphs = draft.fields.paragraphs;
    expect(paragraphs).toContain('时间紧、任务重，各学校要提前谋划，确保春季学期按时开学。现将有关事项通知如下：');
    expect(paragraphs.some((paragraph) => paragraph.includes('信息来源必须真实可靠'))).toBe(true);
    expect(paragraphs).toContain('打印机、复印机等办公设备要提前检修，确保开学报到工作顺利进行。');
    // The signing date under a notice is the writer's text, not page furniture.
    expect(paragraphs.slice(-2)).toEqual(['新乡经济技术开发区教育局', '2022年3月5日']);
    expect(bodyText(draft)).not.toMatch(/字号|浏览次数|分享到|微博/u);
  });

  it('UTF-16 file: › breadcrumb, 来自/时间/作者 line, 朗读 and the QR prompt dropped', async () => {
    const draft = await importFixture('utf16-event.txt');
    expect(draft.meta.column).toEqual(['首页', '专题专栏', '党史学习教育']);
    expect(draft.meta.publishAt).toBe('2023-01-02');
    expect(draft.meta.source).toBe('区妇联');
    expect(draft.meta.author).toBe('刘芳');
    expect(bodyText(draft)).not.toMatch(/朗读|扫一扫/u);
    // A byline naming other people than the info line's author stays in the body rather than being lost.
    expect(draft.fields.paragraphs[draft.fields.paragraphs.length - 1]).toBe('(张三 李四)');
  });

  it('HTML page source: scripts and head dropped, entities decoded, breadcrumb links joined', async () => {
    const draft = await importFixture('page-source.html');
    expect(draft.meta.column).toEqual(['首页', '要闻动态', '政务要闻']);
    expect(draft.meta.title).toBe('区领导调研重点项目建设');
    expect(draft.meta.publishAt).toBe('2021-05-20');
    expect(draft.meta.source).toBe('新乡日报');
    expect(draft.meta.author).toBe('李明');
    const text = bodyText(draft);
    expect(text).toContain('实地查看了项目施工进度 & 安全生产情况。');
    expect(text).toContain('要坚持“项目为王”');
    expect(text).not.toMatch(/不应出现|_hmt|text-indent|版权所有|分享到|打印/u);
    expect(draft.warnings.some((warning) => noteText(warning).includes('图片'))).toBe(true);
    // The site menu above the breadcrumb is page furniture, not text to keep.
    expect(draft.unrecognised).toEqual([]);
    expect(text).not.toContain('网站首页');
  });

  it('HTML page with a long site menu before the breadcrumb still finds the title', () => {
    const menu = Array.from({ length: 40 }, (_, index) => `<li><a href="/c${index}/">栏目${index}</a></li>`).join('\n');
    const html = `<html><body><ul>${menu}</ul><div>您的位置：首页 &gt; 政务公开</div><h1>区政府召开常务会议</h1><p>发布时间：2024-02-01</p><p>2月1日，区政府召开常务会议。</p></body></html>`;
    return importFileBuffer('page.html', Buffer.from(html)).then((draft) => {
      expect(draft.meta.column).toEqual(['首页', '政务公开']);
      expect(draft.meta.title).toBe('区政府召开常务会议');
      expect(draft.meta.publishAt).toBe('2024-02-01');
      expect(draft.fields.paragraphs).toEqual(['2月1日，区政府召开常务会议。']);
      expect(draft.warnings.map((w) => noteText(w))).toContain('已略去网页导航栏和页面按钮中的 40 项（栏目名称、打印、关闭等）。');
    });
  });

  it('no date anywhere: publishAt stays null and a warning says so', async () => {
    const draft = await importFixture('no-date.txt');
    expect(draft.meta.title).toBe('小店镇开展防汛应急演练');
    expect(draft.meta.publishAt).toBeNull();
    expect(draft.fields.date).toBeNull();
    expect(draft.warnings.map((w) => noteText(w))).toContain('未识别到发布日期，请手动填写。');
    expect(draft.meta.source).toBe('小店镇人民政府');
    expect(draft.meta.author).toBe('张三');
    expect(draft.fields.paragraphs).toHaveLength(3);
    expect(draft.meta.template).toBe('blank');
  });
});

describe('info line recognition', () => {
  it.each([
    ['时间:2021-05-20 来源:区党政办', { date: '2021-05-20', time: null, source: '区党政办' }],
    ['发布日期:2023-06-21 10:51 信息来源:XX局 访问量:123', { date: '2023-06-21', time: '10:51', source: 'XX局' }],
    ['发布时间：2022年3月5日 09:30', { date: '2022-03-05', time: '09:30', source: null }],
    ['来自:XX 时间:2023-01-02', { date: '2023-01-02', source: 'XX' }],
    ['日期：2021/05/20　作者：张三　浏览次数：56', { date: '2021-05-20', author: '张三' }],
    ['2021.05.20 来源：新乡日报', { date: '2021-05-20', source: '新乡日报' }],
    ['【发布时间：2021-05-20】【来源：区委办】【字号：大 中 小】', { date: '2021-05-20', source: '区委办' }],
    ['来源:', { date: null, source: null }],
  ])('%s', (line, expected) => {
    expect(parseInfoLine(line)).toMatchObject(expected);
  });

  it.each([
    '时间紧、任务重，各学校要提前谋划。',
    '本次活动的经费来源：区财政专项资金。',
    '时间：2021年5月20日上午9时',
    '来源：本报记者在现场了解到，项目建设进展顺利，预计年底前全面完工。',
    '日期：2021-02-30',
  ])('is not fooled by a body sentence: %s', (line) => {
    expect(parseInfoLine(line)).toBeNull();
  });
});

describe('breadcrumb recognition', () => {
  it.each([
    ['首页 / 要闻动态 / 政务要闻', ['首页', '要闻动态', '政务要闻']],
    ['当前位置:首页 > 栏目 > 子栏目', ['首页', '栏目', '子栏目']],
    ['当前位置：首页>>政务要闻', ['首页', '政务要闻']],
    ['您现在的位置：网站首页 » 新闻中心 › 图片新闻 > 正文', ['首页', '新闻中心', '图片新闻']],
  ])('%s', (line, expected) => {
    expect(parseBreadcrumb(line)).toEqual(expected);
  });

  it('ignores sentences that contain a slash', () => {
    expect(parseBreadcrumb('全区共有企业120家/个体户300户。')).toBeNull();
  });
});

describe('importPortalText edge cases', () => {
  it('a paste with no header at all keeps everything as body and warns about each missing field', () => {
    const text = '会议要求，各部门要切实抓好落实，确保各项工作取得实效。\n\n会议强调，要坚持问题导向。';
    const draft = importPortalText(text, '粘贴的文本');
    expect(draft.meta.title).toBe('');
    expect(draft.fields.paragraphs).toEqual([
      '会议要求，各部门要切实抓好落实，确保各项工作取得实效。',
      '会议强调，要坚持问题导向。',
    ]);
    expect(draft.warnings.map((w) => noteText(w))).toEqual(expect.arrayContaining([expect.stringContaining('未识别到标题'), expect.stringContaining('未识别到发布日期')]));
  });

  it('joins lines the source wrapped mid-sentence, but not lines that end a sentence', () => {
    const text = [
      '区里召开工作会议',
      '',
      '时间：2024-01-05',
      '',
      '1月5日，区里召开工作会议，研究部署今年重点工作，会议由区长主持，',
      '各部门主要负责同志参加。',
      '会议强调，要抓好落实。',
    ].join('\n');
    const draft = importPortalText(text, 'wrapped.txt');
    expect(draft.fields.paragraphs).toEqual([
      '1月5日，区里召开工作会议，研究部署今年重点工作，会议由区长主持，各部门主要负责同志参加。',
      '会议强调，要抓好落实。',
    ]);
  });

  it('never joins table rows or numbered items, even without ending punctuation', () => {
    const rows = [
      '单位名称\t负责人\t联系电话\t办公地址在新乡经济技术开发区行政中心三楼东侧',
      '区应急管理局\t王芳\t0373-1234567\t办公地址在新乡经济技术开发区行政中心三楼西侧',
    ];
    const items = ['一、加强组织领导，各部门要高度重视切实履行主体责任并抓好各项落实工作', '二、强化督导检查'];
    const draft = importPortalText(['测试标题文字', '时间：2024-01-05', ...rows, ...items].join('\n'), 'rows.txt');
    expect(draft.fields.paragraphs).toEqual([...rows, ...items]);
  });

  it('keeps a long line made of page-furniture words: only short lines can be furniture', () => {
    const odd = '大 中 小 打印 关闭 '.repeat(20).trim();
    const draft = importPortalText(`测试标题文字\n\n时间：2024-01-05\n\n${odd}`, 'odd.txt');
    expect(draft.fields.paragraphs).toEqual([odd]);
  });

  it('survives a 10 MB single-line paste ending in a bracket', () => {
    const huge = '好。（记者'.repeat(2_000_000);
    const draft = importPortalText(huge, 'huge.txt');
    expect(draft.fields.paragraphs.join('')).toBe(huge);
  });

  it('takes a labelled byline glued to the last sentence', () => {
    const text = '标题在这里出现\n\n时间：2024-01-05\n\n正文第一段。\n\n正文最后一段结束了。（通讯员 王五）';
    const draft = importPortalText(text, 'glued.txt');
    expect(draft.meta.author).toBe('王五');
    expect(draft.fields.paragraphs[draft.fields.paragraphs.length - 1]).toBe('正文最后一段结束了。');
  });

  it('a （来源：…） byline fills the source', () => {
    const text = '标题在这里出现\n\n时间：2024-01-05\n\n正文第一段。\n\n（来源：河南日报）';
    const draft = importPortalText(text, 'source.txt');
    expect(draft.meta.source).toBe('河南日报');
    expect(draft.fields.paragraphs).toEqual(['正文第一段。']);
  });

  it('imports a 10 MB paste without losing text', () => {
    const paragraphText = '会议强调，要坚持以人民为中心的发展思想，扎实推进各项工作落地见效。';
    const count = Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(`${paragraphText}\n\n`));
    const text = `大段粘贴测试标题\n\n时间：2024-01-05\n\n${Array.from({ length: count }, () => paragraphText).join('\n\n')}`;
    const started = performance.now();
    const draft = importPortalText(text, 'big.txt');
    const elapsed = performance.now() - started;
    expect(draft.fields.paragraphs).toHaveLength(count);
    expect(elapsed).toBeLessThan(15_000);
  });
});

describe('file decoding and dispatch', () => {
  const utf8 = '当前位置：首页>>政务要闻\n\n标题在这里出现\n\n时间：2024-01-05\n\n正文。';

  it.each([
    ['UTF-8', Buffer.from(utf8, 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8, 'utf8')])],
    ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8, 'utf16le')])],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf8, 'utf16le').swap16()])],
  ])('decodes %s', (_label, bytes) => {
    expect(decodeText(bytes, 'a.txt')).toBe(utf8);
  });

  it('decodes the GB18030 fixture as Chinese, not mojibake', () => {
    expect(decodeText(fixture('gb18030-notice.txt'), 'gb.txt')).toContain('关于做好2022年春季学期开学工作的通知');
  });

  it('refuses unsupported, binary and empty files with a clear Chinese reason', async () => {
    const reasons: string[] = [];
    for (const [name, bytes] of [
      ['photo.jpg', Buffer.from([0xff, 0xd8, 0xff])],
      ['old.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])],
      ['binary.txt', Buffer.from([0x41, 0x00, 0x42, 0x00, 0x00, 0x01])],
      ['empty.txt', Buffer.alloc(0)],
    ] as const) {
      const error = await importFileBuffer(name, bytes).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('unsupported_file');
      expect((error as ApiError).detail).toContain(name);
      reasons.push((error as ApiError).detail);
    }
    expect(reasons[1]).toContain('另存为');
    expect(new Set(reasons).size).toBe(reasons.length);
  });
});

describe('page furniture the importer has not seen before', () => {
  const page = (body: string): Promise<ImportDraft> =>
    importFileBuffer('page.html', Buffer.from(`<html><head><title>x</title></head><body>${body}</body></html>`));

  it('a page with no known content container: a footer menu of links run together is dropped, a breadcrumb of links and the attachments are kept', async () => {
    const draft = await page(
      [
        '<div class="crumb"><a href="/">首页</a> &gt; <a href="/b/">政务公开</a> &gt; <a href="/b/tz/">通知公告</a></div>',
        '<h1>关于做好2024年春节期间安全生产工作的通知</h1>',
        '<p>发布时间：2024-02-01　来源：区应急局</p>',
        '<div><p>各镇（街道）、区直各单位：春节将至，现就做好安全生产工作通知如下。</p>',
        '<p><a href="/files/1.docx">附件1</a> <a href="/files/2.xlsx">附件2</a></p></div>',
        '<div><a href="#">【打印此文】</a><a href="#">【关闭窗口】</a></div>',
        '<div class="footer-nav"><a href="/about/">关于我们</a><a href="/map/">网站地图</a><a href="/contact/">联系我们</a><a href="/help/">使用帮助</a></div>',
      ].join('\n'),
    );
    expect(draft.meta.column).toEqual(['首页', '政务公开', '通知公告']);
    expect(draft.meta.title).toBe('关于做好2024年春节期间安全生产工作的通知');
    expect(draft.meta.source).toBe('区应急局');
    const text = bodyText(draft);
    expect(text).not.toMatch(/关于我们|网站地图|联系我们|打印此文|关闭窗口/u);
    expect(text).toContain('春节将至');
    expect(text).toMatch(/附件1\s*附件2/u);
    expect(draft.unrecognised).toEqual([]);
  });

  it('drops the 欢迎访问…网站 line at the top and the 上一篇文章/下一篇文章 links at the bottom', () => {
    const draft = importPortalText(
      [
        '欢迎访问云溪县人民政府网站！ 设为首页 | 加入收藏',
        '当前位置：首页 > 工作动态',
        '县政府召开全县防汛工作会议',
        '发布时间：2024-06-03 来源：县应急局',
        '6月3日，县政府召开全县防汛工作会议。',
        '上一篇文章：县领导督导秸秆禁烧工作',
        '下一篇文章：全县开展安全生产大检查',
      ].join('\n'),
      '粘贴的文本',
    );
    expect(draft.meta.title).toBe('县政府召开全县防汛工作会议');
    expect(draft.fields.paragraphs).toEqual(['6月3日，县政府召开全县防汛工作会议。']);
    expect(draft.unrecognised).toEqual([]);
  });

  it('a body sentence that welcomes someone is kept', () => {
    const draft = importPortalText('欢迎访问团来我县考察，双方就合作事项深入交流。', '粘贴的文本');
    expect(draft.fields.paragraphs).toEqual(['欢迎访问团来我县考察，双方就合作事项深入交流。']);
  });

  it.each(['佚名', '不详', 'admin', '管理员'])('an author given as %s is nobody’s name and stays empty', (name) => {
    expect(parseInfoLine(`发布时间：2024-06-03 作者：${name} 来源：县应急局`)).toEqual(
      expect.objectContaining({ date: '2024-06-03', source: '县应急局' }),
    );
    expect(parseInfoLine(`发布时间：2024-06-03 作者：${name}`)?.author ?? null).toBeNull();
  });

  it.each([
    ['您所在的位置：首页 > 工作动态', ['首页', '工作动态']],
    ['您当前所在位置：首页 › 政务公开 › 通知公告', ['首页', '政务公开', '通知公告']],
    ['你现在的位置: 首页 / 新闻中心', ['首页', '新闻中心']],
  ])('breadcrumb %s', (line, expected) => {
    expect(parseBreadcrumb(line)).toEqual(expected);
  });
});

describe('page furniture and tables of other CMSs', () => {
  it('reads a 信息公开 table whose key cells have no colons, and the info line after it', async () => {
    const html = [
      '<html><body><div>您的位置：首页 &gt; 信息公开 &gt; 政策文件</div>',
      '<table><tr><th>索引号</th><td>002845719/2024-00018</td><th>主题分类</th><td>综合政务/其他</td></tr>',
      '<tr><th>发布机构</th><td>县人民政府办公室</td><th>公开方式</th><td>主动公开</td></tr>',
      '<tr><th>文号</th><td>县政办发〔2024〕5号</td><th>成文日期</th><td>2024-01-22</td></tr></table>',
      '<h1>县人民政府办公室关于印发工作方案的通知</h1>',
      '<div><span>发布日期：2024年1月 25 日</span><span>信息来源：县医保局</span></div>',
      '<div><p>各乡镇人民政府，县政府各部门：</p><p>《工作方案》已经县政府同意，现印发给你们，请认真贯彻执行。</p></div></body></html>',
    ].join('\n');
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.fields.disclosure).toMatchObject({
      indexNo: '002845719/2024-00018',
      publisher: '县人民政府办公室',
      docNo: '县政办发〔2024〕5号',
      writtenAt: '2024-01-22',
    });
    expect(draft.meta.title).toBe('县人民政府办公室关于印发工作方案的通知');
    expect(draft.fields.date).toBe('2024-01-25');
    expect(draft.fields.source).toBe('县医保局');
    expect(draft.fields.paragraphs[0]).toBe('各乡镇人民政府，县政府各部门：');
    expect(draft.unrecognised).toEqual([]);
  });

  it('a title element holding the info line after a line break gives only the title', async () => {
    const html =
      '<html><body><div>当前位置：首页 &gt; 教育动态 &gt; 正文</div><h1>区召开冬季校园安全工作会议<br><span>2019-12-10 08:45:37 来源：区教育局 评论：0 点击：</span></h1><div><p>12月9日下午，区教育局召开冬季校园安全工作会议。</p></div></body></html>';
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.title).toBe('区召开冬季校园安全工作会议');
    expect(draft.fields.source).toBe('区教育局');
    expect(draft.fields.date).toBe('2019-12-10');
  });

  it('a long title broken over two lines in its element stays whole', async () => {
    const html =
      '<html><body><h1>关于进一步做好2024年度城乡居民基本医疗保险<br>参保缴费工作的通知</h1><p>发布时间：2024-01-25</p><p>各乡镇：现将有关事项通知如下。</p></body></html>';
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.title).toBe('关于进一步做好2024年度城乡居民基本医疗保险 参保缴费工作的通知');
  });

  it.each([
    '设为首页 | 加入收藏 | 无障碍浏览 | 长者模式',
    '无障碍 | 长者模式 | 手机版 | 网站地图',
    '欢迎访问枫林县卫生健康局网站！首页 | 登录 | 注册',
    '欢迎访问桐溪县人民政府门户网站网站首页无障碍关怀版',
    '请输入关键字 搜索',
    '≡',
    '------分隔线----------------------------',
  ])('%s is page furniture', (line) => {
    expect(isChromeLine(line)).toBe(true);
  });

  it.each([
    '地址：县人民路18号 | 电话：0937-12380',
    '一等奖 | 张三、李四两位同志在本次评比中表现突出，获得全县通报表扬，予以奖励。',
    '——县长在全县经济工作会议上的讲话',
  ])('%s is text', (line) => {
    expect(isChromeLine(line)).toBe(false);
  });

  it('the CMS’s tags and 相关解读 under an article end it', () => {
    expect(isPageEndLine('标签：志愿服务')).toBe(true);
    expect(isPageEndLine('相关热词搜索：校园安全')).toBe(true);
    expect(isPageEndLine('相关解读：')).toBe(true);
    expect(isPageEndLine('标签设计要醒目，便于群众识别。')).toBe(false);
  });

  it('a copied mobile page: the icon and search lines above the title are not text, the bare time line is the date', () => {
    const draft = importPortalText(
      ['≡', '临溪区人民政府', '搜索', '临溪区庆祝中国农民丰收节活动在柳湾村举行', '2023-09-23 19:42', '来源：区农业农村局', '字号：大 中 小', '', '9月23日，临溪区庆祝中国农民丰收节活动在柳湾村举行。'].join('\n'),
      '粘贴的文本',
    );
    expect(draft.meta.title).toBe('临溪区庆祝中国农民丰收节活动在柳湾村举行');
    expect(draft.fields.date).toBe('2023-09-23');
    expect(draft.fields.time).toBe('19:42');
    expect(draft.fields.source).toBe('区农业农村局');
    // The site's name cannot be told from a line of text: it is kept and listed, not dropped.
    expect(draft.unrecognised).toEqual(['临溪区人民政府']);
  });

  it('a menu of spaced-apart entries above the breadcrumb of a copied page is left out', () => {
    const draft = importPortalText(
      ['首页  政务公开  政务服务  互动交流  走进青峪', '当前位置：首页 >> 政务公开 >> 人事信息', '县委组织部干部任前公示', '发布日期：2021年07月09日', '根据有关规定，现予以公示。'].join('\n'),
      '粘贴的文本',
    );
    expect(draft.unrecognised).toEqual([]);
    expect(draft.fields.paragraphs).toEqual(['根据有关规定，现予以公示。']);
  });
});

describe('breadcrumbs the text of a page splits or draws', () => {
  it('arrows drawn as pictures between the links of a position cell', async () => {
    const html =
      '<HTML><BODY><TABLE><TR><TD CLASS="position">&nbsp;<IMG SRC="dot.gif"> <A HREF="index.htm">首页</A> <IMG SRC="arrow.gif"> <A HREF="xwzx.htm">新闻中心</A> <IMG SRC="arrow.gif"> 水利动态</TD></TR></TABLE><H1>县水利局开展汛前水库安全检查</H1><P>发布时间：2019-04-02</P><P>4月1日，县水利局组织开展汛前水库安全检查。</P></BODY></HTML>';
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.column).toEqual(['首页', '新闻中心', '水利动态']);
  });

  it('links laid out in nested table cells after 当前位置：', async () => {
    const cell = (name: string) => `<td><table><tr><td>&nbsp;&gt;&nbsp;</td><td><a href="/col/${name}/">${name}</a></td></tr></table></td>`;
    const html = `<html><body><table><tr><td>&nbsp;&nbsp;当前位置：<table style="display:inline"><tr><td><a href="/">首页</a></td>${cell('新闻中心')}${cell('乡镇动态')}</tr></table></td></tr></table><h1>乡镇召开秋冬季森林防火工作会议</h1><p>发布日期：2023-10-09</p><p>10月9日，镇政府召开秋冬季森林防火工作会议。</p></body></html>`;
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.column).toEqual(['首页', '新闻中心', '乡镇动态']);
  });

  it('an address block named location is no breadcrumb', async () => {
    const html =
      '<html><body><div class="location">地址：<a href="/map">县人民路18号</a></div><h1>县政府召开常务会议</h1><p>发布日期：2023-10-09</p><p>会议研究了有关事项。</p></body></html>';
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.column).toEqual([]);
  });
});

describe('WeChat articles, download lists and summary boxes', () => {
  it('a WeChat article copied as text: the account line gives the date and time, WeChat’s own strings end it, 编辑 and a closing 来源 are read', () => {
    const draft = importPortalText(
      [
        '县消防宣传月活动启动',
        '青禾发布 2022-11-09 18:06 发表于云川',
        '',
        '11月9日上午，全县消防宣传月活动启动仪式在文昌广场举行。',
        '',
        '县消防救援大队提醒，冬季是火灾易发多发季节。',
        '来源：县消防救援大队',
        '编辑：刘畅',
        '预览时标签不可点',
        '关注该公众号',
        '继续滑动看下一个',
        '轻触阅读原文',
        '赞 86 在看 23',
      ].join('\n'),
      '粘贴的文本',
    );
    expect(draft.meta.title).toBe('县消防宣传月活动启动');
    expect([draft.fields.date, draft.fields.time]).toEqual(['2022-11-09', '18:06']);
    expect(draft.fields.source).toBe('县消防救援大队');
    expect(draft.meta.editor).toBe('刘畅');
    expect(draft.fields.paragraphs).toEqual(['11月9日上午，全县消防宣传月活动启动仪式在文昌广场举行。', '县消防救援大队提醒，冬季是火灾易发多发季节。']);
  });

  it('a saved WeChat page: the date printed only at the top of the article is read, not left in the text', async () => {
    const html =
      '<html><head><meta property="og:title" content="新增3家医保定点药店"></head><body><div id="img-content"><h1 class="rich_media_title">新增3家医保定点药店</h1><div id="js_content"><p>原创桐川发布 2023-04-05 09:12 发表于云川</p><p>县医疗保障局近日新增3家零售药店为定点药店。</p><p>来源：桐川县医疗保障局</p></div></div></body></html>';
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.publishAt).toBe('2023-04-05T09:12');
    expect(draft.fields.source).toBe('桐川县医疗保障局');
    expect(draft.fields.paragraphs).toEqual(['县医疗保障局近日新增3家零售药店为定点药店。']);
  });

  it('a line of 【发表评论】【告诉好友】 buttons, A+ A- and the header’s “today” line are furniture; text using the words stays', () => {
    expect(isChromeLine('【发表评论】【加入收藏】【告诉好友】【打印此文】【关闭窗口】')).toBe(true);
    expect(isChromeLine('A+ A-')).toBe(true);
    expect(isChromeLine('2022年3月9日 星期三')).toBe(true);
    expect(isChromeLine('今天是2024年5月20日 星期一 农历四月十三')).toBe(true);
    expect(isChromeLine('2022年3月9日')).toBe(false);
    expect(isChromeLine('群众可在网站发表评论，告诉好友。')).toBe(false);
    expect(isChromeLine('A级景区')).toBe(false);
  });

  it('the download list under an article is named to the writer, not kept as text; a 公文’s own 附件说明 stays', () => {
    const draft = importPortalText(
      [
        '关于开展燃气安全检查的通知',
        '发布日期：2022-09-26',
        '',
        '各乡镇人民政府：',
        '',
        '现将有关事项通知如下。',
        '',
        '附件：1.城镇燃气安全检查表',
        '',
        '县住房和城乡建设局',
        '',
        '2022年9月26日',
        '',
        '附件：',
        '',
        '1.城镇燃气安全检查表.xls',
        '',
        '2.燃气安全隐患整改台账.xlsx',
      ].join('\n'),
      '粘贴的文本',
    );
    expect(draft.fields.paragraphs).toEqual(['各乡镇人民政府：', '现将有关事项通知如下。', '附件：1.城镇燃气安全检查表', '县住房和城乡建设局', '2022年9月26日']);
    expect(draft.warnings.map((w) => noteText(w)).join('')).toContain('1.城镇燃气安全检查表.xls、2.燃气安全隐患整改台账.xlsx');
  });

  it('a summary box repeating the opening sentence is not a paragraph of its own', () => {
    const draft = importPortalText(
      ['马园镇召开农村人居环境整治推进会', '发布时间：2017-09-21', '', '9月20日上午，马园镇召开农村人居环境整治推进会。', '', '9月20日上午，马园镇召开农村人居环境整治推进会。镇班子成员参加会议。', '', '会议要求各村落实保洁员队伍。'].join('\n'),
      '粘贴的文本',
    );
    expect(draft.fields.paragraphs).toEqual(['9月20日上午，马园镇召开农村人居环境整治推进会。镇班子成员参加会议。', '会议要求各村落实保洁员队伍。']);
  });

  it('a page whose <title> is only the site’s name takes the heading its share title agrees with', async () => {
    const html =
      '<html><head><title>临澜市教育局</title><meta name="og:title" content="关于举办教师信息技术应用能力大赛的通知"></head><body><h2>关于举办教师信息技术应用能力大赛的通知</h2><p>日期：2021/7/9</p><p>各县（市、区）教育局：</p><p>现将有关事项通知如下。</p></body></html>';
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.title).toBe('关于举办教师信息技术应用能力大赛的通知');
  });
});

describe('two sources on one page', () => {
  it('a 来源 under the article other than the one above it leaves the source empty, both listed', () => {
    const draft = importPortalText(
      ['新生入学工作平稳有序', '发布时间：2019-09-03 10:08　来源：县融媒体中心', '', '9月1日，全县义务教育阶段新生入学工作平稳有序。', '【来源：县教育体育局】【作者：许亮】'].join('\n'),
      '粘贴的文本',
    );
    expect(draft.fields.source).toBeNull();
    expect(draft.fields.author).toBe('许亮');
    expect(draft.fields.uncertain).toEqual([{ field: 'source', candidates: ['县融媒体中心', '县教育体育局'] }]);
    expect(draft.fields.paragraphs).toEqual(['9月1日，全县义务教育阶段新生入学工作平稳有序。']);
  });

  it('the same 来源 twice is no contradiction; in a saved page the content’s closing 来源 is compared too', async () => {
    const same = importPortalText(['新生入学工作平稳有序', '发布时间：2019-09-03　来源：县教育体育局', '', '新生入学工作平稳有序。', '来源：县教育体育局'].join('\n'), '粘贴的文本');
    expect([same.fields.source, same.fields.uncertain]).toEqual(['县教育体育局', []]);
    const html =
      '<html><body><h1>新生入学工作平稳有序</h1><div class="info">发布时间：2019-09-03　来源：县融媒体中心</div><div class="content"><p>新生入学工作平稳有序。</p><p>来源：县教育体育局</p></div></body></html>';
    const page = await importFileBuffer('page.html', Buffer.from(html));
    expect(page.fields.source).toBeNull();
    expect(page.fields.uncertain).toEqual([{ field: 'source', candidates: ['县融媒体中心', '县教育体育局'] }]);
  });
});

describe('info lines of older and copied pages', () => {
  it('labels spaced out to line up (来 源：, 作　者：) and a date in Chinese numerals are read', () => {
    expect(parseInfoLine('发布日期：二〇一二年十月九日　　来 源：县人社局　　浏览次数：1068')).toMatchObject({ date: '2012-10-09', source: '县人社局' });
    expect(parseInfoLine('作　者：张三')).toMatchObject({ author: '张三' });
    expect(parseInfoLine('日期：二〇二三年二月三十日')).toBeNull();
  });

  it('a WeChat line naming the account twice and 收录于合集, the collection tag under it, and 今天是： are read or dropped', () => {
    expect(parseInfoLine('禾丰发布 禾丰发布 2023-06-20 18:30 发表于云泽收录于合集')).toMatchObject({ date: '2023-06-20', time: '18:30' });
    expect(isChromeLine('#禾丰文旅 36个')).toBe(true);
    expect(isChromeLine('今天是：2017年9月8日 星期五')).toBe(true);
    expect(isChromeLine('#1 第一名 36个')).toBe(false);
  });

  it('a page whose text contradicts itself on the date takes no date from its metadata either', async () => {
    const html =
      '<html><head><meta name="PubDate" content="2022-09-16 09:05"></head><body><h1>补助资金管理办法政策解读</h1><table class="xxgk"><tr><th>索引号：</th><td>690123015/2022-00871</td><th>主题分类：</th><td>财政</td></tr><tr><th>发布机构：</th><td>临溪县财政局</td><th>发布日期：</th><td>2022-09-16</td></tr></table><div class="info">发布时间：2022-09-15　来源：县财政局</div><div class="content"><p>近日，县财政局印发了管理办法。</p></div></body></html>';
    const draft = await importFileBuffer('page.html', Buffer.from(html));
    expect(draft.meta.publishAt).toBeNull();
    expect(draft.fields.uncertain?.map((entry) => entry.field)).toEqual(['date']);
  });
});
