import { defineMessages } from '../define';

/** What the workspace on disk refuses or cannot do, as the services report it. */
export default defineMessages(
  {
    'store.asset.outside': '附件 {src} 是指向工作区以外的链接，已拒绝读取',
  },
  {
    'store.asset.outside': 'The attachment {src} is a link to a place outside the workspace; it was not read',
  },
);
