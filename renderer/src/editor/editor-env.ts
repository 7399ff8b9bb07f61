import { createContext, useContext } from 'react';
import type { Locale } from '../../../shared/domain/settings';

/** What node views need from the screen; node views render inside EditorContent, so context reaches them. */
export interface EditorEnvironment {
  locale: Locale;
  resolveSrc: (src: string) => string;
  readOnly: boolean;
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
