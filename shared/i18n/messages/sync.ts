import { defineMessages } from '../define';

/** What the office sync tells people: its status, its log, refusals and the joining of a desktop. Node-side and shared texts. */
export default defineMessages(
  {
    'sync.title': '办公室同步',
  },
  {
    'sync.title': 'Office sync',
  },
);
