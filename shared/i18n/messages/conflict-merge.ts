import { defineMessages } from '../define';

/** What the three-way merge of an article tells people: what merged, what it could not decide, which acts no longer hold. */
export default defineMessages(
  {
    'conflict.merge.title': '合并',
  },
  {
    'conflict.merge.title': 'Merge',
  },
);
