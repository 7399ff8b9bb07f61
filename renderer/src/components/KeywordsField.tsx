import { useId, useState } from 'react';
import { addKeywords, removeKeyword, splitKeywordInput } from '../state/keywords';
import { useT } from '../state/settings';

/** Keywords as chips: type and press Enter, or a comma/顿号, to add; × removes. */
export function KeywordsField({ value, onChange }: { value: string[]; onChange(next: string[]): void }) {
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState('');

  const commit = (text: string) => {
    const { complete, rest } = splitKeywordInput(`${text},`);
    if (complete.length > 0) onChange(addKeywords(value, complete));
    setDraft(rest);
  };

  return (
    <div className="keywords">
      <label htmlFor={id}>{t('meta.keywords')}</label>
      <div className="chip-box">
        <ul className="chips" data-testid="keyword-chips">
          {value.map((keyword, index) => (
            <li key={keyword} className="chip">
              <span>{keyword}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={t('meta.keywords.remove', { keyword })}
                onClick={() => onChange(removeKeyword(value, index))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={id}
          value={draft}
          placeholder={t('meta.keywords.placeholder')}
          onChange={(event) => {
            const { complete, rest } = splitKeywordInput(event.target.value);
            if (complete.length > 0) onChange(addKeywords(value, complete));
            setDraft(complete.length > 0 ? rest : event.target.value);
          }}
          onKeyDown={(event) => {
            // Enter confirms an IME candidate first; only a bare Enter adds the chip.
            if (event.nativeEvent.isComposing) return;
            if (event.key === 'Enter') {
              event.preventDefault();
              commit(draft);
            } else if (event.key === 'Backspace' && draft === '' && value.length > 0) {
              onChange(value.slice(0, -1));
            }
          }}
          onBlur={() => commit(draft)}
        />
      </div>
    </div>
  );
}
