import { useT } from '../state/settings';
import { Field } from './Field';

/** Picks the site to work on; with a single site there is nothing to pick, so it shows nothing. */
export function SitePicker({
  sites,
  value,
  onChange,
}: {
  sites: readonly { id: string; name: string }[];
  value: string | null;
  onChange(siteId: string): void;
}) {
  const t = useT();
  if (sites.length <= 1) return null;
  return (
    <Field label={t('pubui.site.pick')}>
      {(control) => (
        <select {...control} value={value ?? ''} onChange={(event) => onChange(event.target.value)}>
          {sites.map((site) => (
            <option key={site.id} value={site.id}>
              {site.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
