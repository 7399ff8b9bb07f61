import { defineMessages } from '../define';

/** Sync conflicts: what a three-way merge could not decide, and the side-by-side choice per block (保留我方 / 采用对方 / 两者都保留). */
export default defineMessages(
  {
    'conflict.title': '冲突待处理',
  },
  {
    'conflict.title': 'Conflict to resolve',
  },
);
