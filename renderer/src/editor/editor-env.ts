import { createContext, useContext } from 'react';
import type { AddedPhoto } from '../../../shared/api/contract';
import type { PhotoEdit } from '../../../shared/domain/photo';
import type { Locale } from '../../../shared/domain/settings';

/** What node views need from the screen; node views render inside EditorContent, so context reaches them. */
export interface EditorEnvironment {
  locale: Locale;
  resolveSrc: (src: string) => string;
  readOnly: boolean;
  /** Turns and crops a photo from its original (absent where the editor cannot store files). */
  editPhoto?: (original: string, edit: PhotoEdit) => Promise<AddedPhoto>;
}

export const EditorEnvContext = createContext<EditorEnvironment>({
  locale: 'zh-CN',
  resolveSrc: (src) => src,
  readOnly: false,
});

/** The editor environment (locale, asset URLs) for node views. */
export function useEditorEnv(): EditorEnvironment {
  return useContext(EditorEnvContext);
}
