import { defineMessages } from '../define';

/**
 * Review and approval as the workflow core words them: refusals
 * (`review.error.<code>`), action names, why approvals were reset, revision
 * names. shared/workflow formats this table itself so the services can return
 * ready Chinese messages; errors also carry `code` + params, so a UI can
 * translate them into the user's language.
 */
export default defineMessages(
  {
    'review.action.submit': '提交审核',
    'review.action.approve': '审核通过',
    'review.action.request_changes': '退回修改',
    'review.action.comment': '发表意见',
    'review.action.edit': '修改文稿',
    'review.error.inactive_person': '“{name}”的账号已停用，不能{action}',
    'review.error.wrong_status': '文稿当前状态为“{status}”，不能{action}',
    'review.error.not_writer': '“{name}”不是撰稿人，不能{action}',
    'review.error.not_stage_reviewer': '“{name}”不是“{stage}”环节的审核人，不能{action}',
    'review.error.own_article': '不能审核自己提交的文稿（“{name}”是本文的提交人）',
    'review.error.already_approved_other_stage':
      '“{name}”已在“{stage}”环节审核过本文；同一篇文稿的各审核环节须由不同的人完成',
    'review.error.locked': '文稿{status}，已锁定，撰稿人不能修改；如需修改，请由审核人退回',
    'review.error.no_edit_rights': '“{name}”在“{stage}”环节没有修改文稿的权限',
    'review.error.not_participant': '“{name}”既不是撰稿人也不是本文的审核人，不能{action}',
    'review.error.content_changed': '文稿内容在您打开后已被修改，请查看最新内容后再{action}',
    'review.error.reason_required': '退回修改时必须写明理由',
    'review.error.comment_required': '意见内容不能为空',
    'review.error.comment_missing': '这条意见不存在或已被撤回',
    'review.error.comment_answered': '已有人回复这条意见，不能再修改或撤回；可以在讨论中补充说明',
    'review.error.comment_not_own': '只能修改或撤回自己写的意见（“{name}”不是这条意见的作者）',
    'review.error.comment_not_thread': '只能对一条讨论的第一条意见回复、标为已解决或重新打开',
    'review.error.comment_already': '这条讨论已经是这个状态了',
    'review.error.comment_too_long': '意见过长（{length} 字），请控制在 {max} 字以内',
    'review.error.bad_anchor': '意见所指的段落在正文中找不到，请重新选择要评论的文字',
    'review.error.syncConflict': '“{title}”有同步冲突待处理：两台电脑改了同一段，请先在编辑器里逐段决定保留哪一方，再提交审核',
    'review.reason.edited': '{name}修改了文稿，{stages}的审核意见已失效，退回“{stage}”重新审核',
    'review.reason.editedWhileReturned':
      '{name}修改了文稿，{stages}的审核意见已失效；再次提交后将从“{stage}”开始审核',
    'review.reason.invalidated': '{name}修改了文稿，“{stage}”审核时的内容已改变',
    'review.reason.corrected':
      '{name}在“{stage}”环节修改了文稿：{stages}的审核保留为“已审核（修改前版本）”，后续环节可查看修改之处，终审须审核修改后的文稿',
    'review.reason.correctedReturn':
      '{name}在“{stage}”环节修改了文稿，按本审核流程的设置退回“{target}”重新审核：{stages}的审核意见已失效',
    'review.reason.correctedReturnKept':
      '{name}在“{stage}”环节修改了文稿，按本审核流程的设置退回“{target}”重新审核：{stages}的审核意见已失效，{kept}的审核保留为“已审核（修改前版本）”',
    'review.reason.editedApproved':
      '{name}修改了已通过终审的文稿，各环节审核通过的是修改前的内容：需要{stages}重新审核，现退回“{stage}”（已发布的文稿须重新通过审核才能再次发布）',
    'review.reason.chainReordered': '审核流程的环节顺序已调整，“{stage}”对修改前版本的审核不再保留',
    'review.reason.submittedChanged': '提交的内容与“{stage}”审核时的内容不同，该审核意见已失效',
    'review.reason.chainChanged': '审核流程已调整，不再包含“{stage}”环节',
    'review.reason.changesRequested': '“{stage}”审核人{name}退回修改：{reason}',
    'review.revision.submit': '提交审核',
    'review.revision.approve': '{stage}通过',
    'review.revision.requestChanges': '{stage}退回修改',
    'review.revision.reviewerEdit': '{name}在{stage}中修改',
    'review.list.separator': '、',
  },
  {
    'review.action.submit': 'submit for review',
    'review.action.approve': 'approve',
    'review.action.request_changes': 'request changes',
    'review.action.comment': 'comment',
    'review.action.edit': 'edit the article',
    'review.error.inactive_person': "{name}'s account is disabled and cannot {action}",
    'review.error.wrong_status': 'The article is "{status}"; you cannot {action}',
    'review.error.not_writer': '{name} is not a writer and cannot {action}',
    'review.error.not_stage_reviewer': '{name} is not a reviewer for the "{stage}" stage and cannot {action}',
    'review.error.own_article': 'You cannot review an article you submitted ({name} submitted it)',
    'review.error.already_approved_other_stage':
      '{name} already approved the "{stage}" stage; each stage must be approved by a different person',
    'review.error.locked': 'The article is {status} and locked for the writer; a reviewer must return it first',
    'review.error.no_edit_rights': '{name} may not edit the article at the "{stage}" stage',
    'review.error.not_participant': '{name} is neither a writer nor a reviewer of this article and cannot {action}',
    'review.error.content_changed': 'The article changed after you opened it; look at the latest text before you {action}',
    'review.error.reason_required': 'Please give a reason when requesting changes',
    'review.error.comment_required': 'A comment cannot be empty',
    'review.error.comment_missing': 'This comment does not exist or was withdrawn',
    'review.error.comment_answered': 'Someone has replied to this comment, so it can no longer be edited or withdrawn; add to the discussion instead',
    'review.error.comment_not_own': 'Only the author of a comment may edit or withdraw it ({name} is not)',
    'review.error.comment_not_thread': "Only a discussion's first comment can be answered, resolved or reopened",
    'review.error.comment_already': 'The discussion is already in that state',
    'review.error.comment_too_long': 'The comment is too long ({length} characters); keep it under {max}',
    'review.error.bad_anchor': 'The passage this comment refers to is not in the text; select the text again',
    'review.error.syncConflict':
      '"{title}" has a sync conflict to settle: two desktops changed the same passage. Decide each passage in the editor first, then submit it for review',
    'review.reason.edited': '{name} edited the article; the approvals of {stages} no longer apply and it returns to "{stage}"',
    'review.reason.editedWhileReturned':
      '{name} edited the article; the approvals of {stages} no longer apply; after resubmission review restarts at "{stage}"',
    'review.reason.invalidated': '{name} edited the article; the text approved at "{stage}" has changed',
    'review.reason.corrected':
      '{name} corrected the article at "{stage}": the approvals of {stages} are kept as approvals of the version before the correction; later stages can see what changed, and the final stage must approve the corrected text',
    'review.reason.correctedReturn':
      '{name} corrected the article at "{stage}"; as this review chain requires, it returns to "{target}": the approvals of {stages} no longer apply',
    'review.reason.correctedReturnKept':
      '{name} corrected the article at "{stage}"; as this review chain requires, it returns to "{target}": the approvals of {stages} no longer apply, those of {kept} are kept as approvals of the version before the correction',
    'review.reason.editedApproved':
      '{name} edited the approved article, and every stage approved the text before the edit: {stages} must review it again, starting at "{stage}" (a published article must pass review again before it is republished)',
    'review.reason.chainReordered':
      'The order of the review stages changed; the "{stage}" approval of the version before a correction is no longer kept',
    'review.reason.submittedChanged': 'The submitted text differs from what "{stage}" approved; that approval no longer applies',
    'review.reason.chainChanged': 'The review chain changed and no longer has a "{stage}" stage',
    'review.reason.changesRequested': '{name} ("{stage}") requested changes: {reason}',
    'review.revision.submit': 'Submitted for review',
    'review.revision.approve': '{stage} approved',
    'review.revision.requestChanges': '{stage} requested changes',
    'review.revision.reviewerEdit': 'Edited by {name} during {stage}',
    'review.list.separator': ', ',
  },
);
