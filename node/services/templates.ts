import type { TemplateInput } from '../../shared/api/contract';
import { type ArticleMeta, ArticleMetaSchema, type DisclosureInput, type Meeting, MeetingSchema, type TemplateId } from '../../shared/domain/article';
import { DISCLOSURE_TEMPLATES, defaultGenre } from '../../shared/domain/disclosure';
import { attendeesSentence, hostPhrase, toFullWidthPunctuation } from '../../shared/domain/attendees';
import { type Doc, type DocNode, emptyDoc, paragraph } from '../../shared/domain/doc';

/**
 * Starting points for the kinds of article the office writes most. Whatever the
 * writer has not told us yet is left as a 【…】 placeholder, never invented.
 */

/** Default column path of each template, as the portal's navigation names it. */
export const TEMPLATE_COLUMNS: Record<TemplateId, string[]> = {
  meeting: ['首页', '要闻动态', '政务要闻'],
  event: ['首页', '要闻动态', '政务要闻'],
  notice: ['首页', '通知公告', '通知'],
  announcement: ['首页', '通知公告', '公告'],
  policy: ['首页', '政务公开', '政策文件'],
  blank: [],
};

/** 'YYYY-MM-DD[THH:mm]' → '5月19日'; null when there is no date. */
export function monthDay(date: string | null): string | null {
  const match = date ? /^\d{4}-(\d{2})-(\d{2})/.exec(date) : null;
  if (!match) return null;
  return `${Number(match[1])}月${Number(match[2])}日`;
}

/** 'YYYY-MM-DD[THH:mm]' → '2021年5月20日', the form used under an official notice. */
export function fullChineseDate(date: string | null): string | null {
  const match = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  if (!match) return null;
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

const or = (value: string | null | undefined, placeholder: string): string =>
  value?.trim() ? toFullWidthPunctuation(value.trim()) : `【${placeholder}】`;

function meetingFrom(input: TemplateInput): Meeting {
  return MeetingSchema.parse({
    name: input.meetingName,
    host: input.host,
    place: input.place,
    attendees: input.attendees,
    headcount: input.headcount,
  });
}

function meetingLead(input: TemplateInput, meeting: Meeting): string {
  const when = or(monthDay(input.date), '日期');
  const where = meeting.place ? `在${toFullWidthPunctuation(meeting.place)}` : '';
  const host = hostPhrase(meeting) || '【主持人】主持并讲话';
  return `${when}，【单位】${where}召开${or(meeting.name, '会议名称')}，${host}。会议【会议主要内容】。`;
}

function meetingDoc(input: TemplateInput, meeting: Meeting): Doc {
  const closing = attendeesSentence(meeting) || '【参会单位及人员】参加会议。';
  return {
    type: 'doc',
    content: [
      paragraph(meetingLead(input, meeting), { role: 'lead' }),
      paragraph('会议指出，【会议对形势或意义的判断】。'),
      paragraph('会议强调，【会议强调的重点工作】。'),
      paragraph('会议要求，【会议提出的具体要求】。'),
      paragraph(closing, { role: 'attendees' }),
    ],
  };
}

function eventDoc(input: TemplateInput): Doc {
  const when = or(monthDay(input.date), '日期');
  const where = input.place ? `在${toFullWidthPunctuation(input.place)}` : '在【地点】';
  const name = or(input.meetingName, '活动名称');
  return {
    type: 'doc',
    content: [
      paragraph(`${when}，【单位】${where}举办${name}。【活动主要内容】。`, { role: 'lead' }),
      paragraph('活动现场，【现场情况】。'),
      paragraph('【活动意义与成效】。'),
    ],
  };
}

/**
 * A 公文 skeleton in GB/T 9704 order: 主送 (a 公告 has none), 正文, 附件说明,
 * 落款, 成文日期. 主送, 落款 and 成文日期 carry their paragraph roles so the
 * 公文 layout and the checks find them whatever the writer types.
 */
function officialDoc(input: TemplateInput, kind: 'notice' | 'announcement' | 'policy'): Doc {
  const content: DocNode[] = [];
  if (kind !== 'announcement') content.push(paragraph('各有关单位：', { role: 'addressee' }));
  if (kind === 'policy') {
    content.push(
      paragraph('现将《【文件名称】》印发给你们，请结合实际认真贯彻执行。', { role: 'lead' }),
      paragraph('附件：【文件名称】'),
    );
  } else {
    content.push(
      paragraph(
        kind === 'notice' ? '为【目的或依据】，现将有关事项通知如下：' : '根据【依据】，现将有关事项公告如下：',
        { role: 'lead' },
      ),
      paragraph('一、【事项】'),
      paragraph('二、【事项】'),
      paragraph('三、【联系人及联系电话】'),
      paragraph(kind === 'notice' ? '特此通知。' : '特此公告。'),
    );
  }
  content.push(
    paragraph('【发文单位】', { role: 'signature', textAlign: 'right' }),
    paragraph(or(fullChineseDate(input.date), '成文日期'), { role: 'signatureDate', textAlign: 'right' }),
  );
  return { type: 'doc', content };
}

/** The 信息公开 fields a 通知 / 公告 / 政策文件 starts with; the 成文日期 is the date the writer gave, if any. */
function disclosureFor(template: TemplateId, input: TemplateInput): DisclosureInput | undefined {
  if (!DISCLOSURE_TEMPLATES.includes(template)) return undefined;
  const day = input.date ? input.date.slice(0, 10) : null;
  return { genre: defaultGenre(template), writtenAt: day };
}

function defaultTitle(template: TemplateId, input: TemplateInput): string {
  if (input.title) return input.title;
  switch (template) {
    case 'meeting':
    case 'event':
      return input.meetingName;
    case 'notice':
      return '关于【事项】的通知';
    case 'announcement':
      return '关于【事项】的公告';
    case 'policy':
      return '关于印发【文件名称】的通知';
    case 'blank':
      return '';
  }
}

/** A new article's metadata and body for `template`, filled from what the writer already knows. */
export function buildFromTemplate(template: TemplateId, input: TemplateInput): { meta: ArticleMeta; doc: Doc } {
  const meeting = template === 'meeting' ? meetingFrom(input) : null;
  const disclosure = disclosureFor(template, input);
  const meta = ArticleMetaSchema.parse({
    template,
    title: defaultTitle(template, input),
    publishAt: input.date,
    column: TEMPLATE_COLUMNS[template],
    meeting,
    // Only when there are fields: an absent key is what keeps other articles' content hash as it was.
    ...(disclosure ? { disclosure } : {}),
  });
  let doc: Doc;
  switch (template) {
    case 'meeting':
      doc = meetingDoc(input, meeting ?? meetingFrom(input));
      break;
    case 'event':
      doc = eventDoc(input);
      break;
    case 'notice':
    case 'announcement':
    case 'policy':
      doc = officialDoc(input, template);
      break;
    case 'blank':
      doc = emptyDoc();
      break;
  }
  return { meta, doc };
}
