import { formatLocalMinute, relativeTime } from '../state/datetime';
import { useT } from '../state/settings';

/** "3 分钟前" with the exact minute as a tooltip. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  const t = useT();
  const relative = relativeTime(iso, now);
  const date = new Date(iso);
  const exact = Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
  let text: string;
  switch (relative.kind) {
    case 'just_now':
      text = t('list.time.justNow');
      break;
    case 'minutes':
      text = t('list.time.minutes', { n: relative.count });
      break;
    case 'hours':
      text = t('list.time.hours', { n: relative.count });
      break;
    default:
      text = relative.text;
  }
  return (
    <time dateTime={iso} title={exact}>
      {text}
    </time>
  );
}
