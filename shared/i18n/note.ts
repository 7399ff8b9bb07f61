import type { MessageParams } from './define';
import { type MessageKey, translate } from './index';
import type { Locale } from '../domain/settings';

/**
 * A message the services hand to a person — an export's note, an import's
 * warning — as a key and its values, so it reads in the language the person
 * chose in their window (the services do not know it). `{name}` values are
 * the document's own text and file names, shown as given.
 */
export interface NoteMessage {
  messageKey: MessageKey;
  params: MessageParams;
}

export function note(messageKey: MessageKey, params: MessageParams = {}): NoteMessage {
  return { messageKey, params };
}

/** The note as a sentence; Chinese unless told (the CLI and the stored Chinese `notes`/`warnings`). */
export function noteText(message: NoteMessage, locale: Locale = 'zh-CN'): string {
  return translate(locale, message.messageKey, message.params);
}
