import { type NoteMessage, note } from '../../../shared/i18n/note';
import type { ParsedArticleFields } from '../../../shared/api/contract';
import { type ArticleMeta, ArticleMetaSchema, DisclosureSchema, type Meeting, MeetingSchema } from '../../../shared/domain/article';
import { parseAttendeesSentence } from '../../../shared/domain/attendees';
import { type Doc, type DocNode, docToPlainText } from '../../../shared/domain/doc';
import { type DisclosureFields, hasDisclosure } from './disclosure-block';
import { type InfoFields, looksLikeMeetingNews, meetingHostFrom, meetingNameFrom } from './header';
import type { UncertainField } from './portal-text';

/** What an import produces before the store turns it into an article. */
export interface ImportDraft {
  meta: ArticleMeta;
  doc: Doc;
  fields: ParsedArticleFields;
  /** Lines the importer could not place; they are kept in the body for the writer. */
  unrecognised: string[];
  /** What the writer should check, as messages in their language (the API also sends them in Chinese). */
  warnings: NoteMessage[];
  assets: { fileName: string; mime: string; data: Buffer }[];
}

/** Header fields plus body, as both the text and the Word importers find them. */
export interface DraftParts {
  title: string | null;
  subtitle: string | null;
  column: string[];
  info: InfoFields;
  doc: Doc;
  unrecognised: string[];
  warnings: NoteMessage[];
  assets: ImportDraft['assets'];
  /** Portal pages carry a breadcrumb; Word files rarely do, so its absence is not worth a warning there. */
  columnExpected: boolean;
  /** The 信息公开 block of a portal page. */
  disclosure?: DisclosureFields;
  /** The portal's 一审/二审/三审 sign-off. */
  reviews?: string[];
  /** Fields left empty on purpose, with what the page said. */
  uncertain?: UncertainField[];
  /** File names of the page's attachment list, left out of the text. */
  attachments?: string[];
}

/** The block's fields that go into the article's 信息公开 metadata (索引号 does not: publication assigns it). */
function disclosureMeta(block: DisclosureFields, publisher: string | null): ArticleMeta['disclosure'] {
  const documentFields = { ...block, title: null, publishDate: null, publishTime: null, indexNo: null };
  if (!hasDisclosure(documentFields) && block.indexNo === null) return undefined;
  return DisclosureSchema.parse({
    publisher: block.publisher ?? publisher ?? '',
    writtenAt: block.writtenAt,
    docNo: block.docNo ?? '',
    topic: block.topic ?? '',
    genre: block.genre ?? '',
    validity: { state: block.validity ?? '有效' },
  });
}

const ATTENDEES_ENDING = /(?:参加|出席|列席)(?:了)?(?:会议|本次会议)[。.]$/u;

function blockText(node: DocNode): string {
  return docToPlainText(node);
}

/**
 * Marks the closing attendees paragraph and reads it into meeting data — only
 * when the data prints the very same sentence again, so a later refresh of that
 * paragraph cannot lose what the writer wrote.
 */
function recogniseAttendees(doc: Doc): { doc: Doc; attendees: ReturnType<typeof parseAttendeesSentence> } {
  const lastIndex = doc.content.length - 1;
  const last = doc.content[lastIndex];
  if (last?.type !== 'paragraph' || !ATTENDEES_ENDING.test(blockText(last))) {
    return { doc, attendees: null };
  }
  const parsed = parseAttendeesSentence(blockText(last));
  if (!parsed) return { doc, attendees: null };
  const content = [...doc.content];
  content[lastIndex] = { ...last, attrs: { ...(last.attrs ?? {}), role: 'attendees' } };
  return { doc: { ...doc, content }, attendees: parsed };
}

/** Builds the draft: meta from the header, meeting data for meeting news, warnings for what is missing. */
export function assembleDraft(parts: DraftParts): ImportDraft {
  const firstText = parts.doc.content.map(blockText).find((text) => text.trim().length > 0) ?? '';
  const isMeeting = looksLikeMeetingNews(parts.title ?? '', firstText);
  let doc = parts.doc;
  let meeting: Meeting | null = null;
  if (isMeeting) {
    const recognised = recogniseAttendees(doc);
    doc = recognised.doc;
    meeting = MeetingSchema.parse({
      name: meetingNameFrom(parts.title ?? '', firstText),
      host: meetingHostFrom(firstText),
      attendees: recognised.attendees?.attendees ?? [],
      headcount: recognised.attendees?.headcount ?? null,
    });
  }
  const { info } = parts;
  const meta = ArticleMetaSchema.parse({
    title: parts.title ?? '',
    subtitle: parts.subtitle ?? '',
    column: parts.column,
    publishAt: info.date ? (info.time ? `${info.date}T${info.time}` : info.date) : null,
    source: info.source ?? '',
    author: info.author ?? '',
    editor: info.editor ?? '',
    photographer: info.photographer ?? '',
    template: isMeeting ? 'meeting' : 'blank',
    meeting,
  });
  const block = parts.disclosure;
  const disclosure = block ? disclosureMeta(block, info.publisher) : undefined;
  if (disclosure) meta.disclosure = disclosure;
  const uncertain = parts.uncertain ?? [];
  const reviews = parts.reviews ?? [];
  const warnings = [...parts.warnings];
  for (const entry of uncertain) {
    warnings.push(note(`importNote.uncertain.${entry.field}`, { candidates: entry.candidates.map((text) => `“${text}”`).join('、') }));
  }
  const isUncertain = (field: UncertainField['field']) => uncertain.some((entry) => entry.field === field);
  if (!parts.title && !isUncertain('title')) warnings.push(note('importNote.noTitle'));
  if (!info.date && !isUncertain('date')) warnings.push(note('importNote.noDate'));
  if (!info.source && !isUncertain('source')) {
    warnings.push(info.publisher ? note('importNote.publisherNotSource', { publisher: info.publisher }) : note('importNote.noSource'));
  }
  if (disclosure) warnings.push(note('importNote.disclosure'));
  if (block?.indexNo) warnings.push(note('importNote.indexNo', { indexNo: block.indexNo }));
  if (reviews.length > 0) warnings.push(note('importNote.reviews', { lines: reviews.join('　') }));
  if (parts.columnExpected && parts.column.length === 0) warnings.push(note('importNote.noColumn'));
  if (parts.unrecognised.length > 0) warnings.push(note('importNote.unrecognised', { count: parts.unrecognised.length }));
  if (parts.attachments && parts.attachments.length > 0) warnings.push(note('importNote.attachments', { files: parts.attachments.join('、') }));
  const paragraphs = docToPlainText(doc)
    .split('\n')
    .filter((text) => text.trim().length > 0);
  return {
    meta,
    doc: doc.content.length ? doc : { type: 'doc', content: [{ type: 'paragraph' }] },
    fields: {
      title: parts.title,
      subtitle: parts.subtitle,
      date: info.date,
      time: info.time,
      source: info.source,
      author: info.author,
      column: parts.column,
      paragraphs,
      publisher: info.publisher,
      disclosure: block && (hasDisclosure(block) || disclosure)
        ? {
            indexNo: block.indexNo,
            publisher: block.publisher ?? info.publisher,
            docNo: block.docNo,
            writtenAt: block.writtenAt,
            topic: block.topic,
            genre: block.genre,
            validity: block.validity,
          }
        : null,
      reviewLines: reviews,
      uncertain,
    },
    unrecognised: parts.unrecognised,
    warnings,
    assets: parts.assets,
  };
}

