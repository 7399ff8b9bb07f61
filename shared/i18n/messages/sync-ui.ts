import { defineMessages } from '../define';

/** The sync screens: the title-bar status, the sync log, joining an office on a new desktop. */
export default defineMessages(
  {
    'syncUi.title': '同步',
  },
  {
    'syncUi.title': 'Sync',
  },
);
