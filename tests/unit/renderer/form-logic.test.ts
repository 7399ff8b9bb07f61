import { describe, expect, it } from 'vitest';
import { emptyMeta } from '../../../shared/domain/article';
import type { ColumnNode } from '../../../shared/domain/settings';
import { addColumn, moveColumn, namesAt, removeColumn, renameColumn } from '../../../renderer/src/state/column-tree';
import { composeDateTime, formatPublishAt, relativeTime, splitDateTime } from '../../../renderer/src/state/datetime';
import { addKeywords, removeKeyword, splitKeywordInput } from '../../../renderer/src/state/keywords';
import { editUnit, moveItem } from '../../../renderer/src/state/lists';
import { metaIssues, toStorableMeta } from '../../../renderer/src/state/meta-edit';

describe('keyword chips', () => {
  it('splits on half- and full-width commas, 顿号 and semicolons, keeping the unfinished part', () => {
    expect(splitKeywordInput('南水北调,高质量发展，生态、党史学习；项目')).toEqual({
      complete: ['南水北调', '高质量发展', '生态', '党史学习'],
      rest: '项目',
    });
    expect(splitKeywordInput('经开区')).toEqual({ complete: [], rest: '经开区' });
    expect(splitKeywordInput(' , ，招商,')).toEqual({ complete: ['招商'], rest: '' });
  });

  it('adds trimmed keywords once and removes by position', () => {
    const list = addKeywords(['生态'], [' 生态 ', '项目建设', '', '项目建设']);
    expect(list).toEqual(['生态', '项目建设']);
    expect(removeKeyword(list, 0)).toEqual(['项目建设']);
  });
});

describe('publish date fields', () => {
  it('composes date and optional time into the stored form', () => {
    expect(composeDateTime('2021-05-20', '')).toEqual({ ok: true, value: '2021-05-20' });
    expect(composeDateTime('2021-05-20', '09:30')).toEqual({ ok: true, value: '2021-05-20T09:30' });
    expect(composeDateTime('2021-05-20', '09:30:15')).toEqual({ ok: true, value: '2021-05-20T09:30' });
    expect(composeDateTime('', '')).toEqual({ ok: true, value: null });
  });

  it('refuses a time without a date and impossible dates', () => {
    expect(composeDateTime('', '09:30')).toEqual({ ok: false, reason: 'time_without_date' });
    expect(composeDateTime('2021-02-30', '')).toEqual({ ok: false, reason: 'invalid_date' });
    expect(composeDateTime('2021-05-20', '25:00')).toEqual({ ok: false, reason: 'invalid_time' });
  });

  it('splits the stored form back for the inputs', () => {
    expect(splitDateTime('2021-05-20T09:30')).toEqual({ date: '2021-05-20', time: '09:30' });
    expect(splitDateTime('2021-05-20')).toEqual({ date: '2021-05-20', time: '' });
    expect(splitDateTime(null)).toEqual({ date: '', time: '' });
    expect(formatPublishAt('2021-05-20T09:30')).toBe('2021-05-20 09:30');
  });

  it('describes the last change relative to now, falling back to the full minute', () => {
    const now = new Date(2024, 4, 1, 15, 0, 0);
    expect(relativeTime(new Date(2024, 4, 1, 14, 59, 30).toISOString(), now)).toEqual({ kind: 'just_now' });
    expect(relativeTime(new Date(2024, 4, 1, 14, 45).toISOString(), now)).toEqual({ kind: 'minutes', count: 15 });
    expect(relativeTime(new Date(2024, 4, 1, 9, 0).toISOString(), now)).toEqual({ kind: 'hours', count: 6 });
    expect(relativeTime(new Date(2024, 3, 30, 9, 5).toISOString(), now)).toEqual({
      kind: 'absolute',
      text: '2024-04-30 09:05',
    });
    expect(relativeTime(new Date(2024, 4, 1, 15, 0, 20).toISOString(), now)).toEqual({ kind: 'just_now' });
    expect(relativeTime(new Date(2024, 4, 2, 9, 0).toISOString(), now)).toEqual({ kind: 'absolute', text: '2024-05-02 09:00' });
    expect(relativeTime('garbage', now)).toEqual({ kind: 'absolute', text: 'garbage' });
  });
});

describe('column tree editing', () => {
  const tree: ColumnNode[] = [
    {
      name: '首页',
      children: [
        { name: '要闻动态', children: [{ name: '政务要闻', children: [] }] },
        { name: '通知公告', children: [] },
      ],
    },
  ];

  it('adds a child under a node and refuses blank or duplicate sibling names', () => {
    const added = addColumn(tree, [0, 0], ' 部门动态 ');
    expect(added.ok && namesAt(added.tree, [0, 0, 1])).toEqual(['首页', '要闻动态', '部门动态']);
    expect(addColumn(tree, [0, 0], '政务要闻')).toEqual({ ok: false, error: 'name_duplicate' });
    expect(addColumn(tree, [0], '   ')).toEqual({ ok: false, error: 'name_required' });
    expect(addColumn(tree, [5], '新栏目')).toEqual({ ok: false, error: 'not_found' });
    // The original tree is untouched.
    expect(tree[0]?.children[0]?.children).toHaveLength(1);
  });

  it('renames, allowing the node to keep its own name', () => {
    const renamed = renameColumn(tree, [0, 1], '通知');
    expect(renamed.ok && renamed.tree[0]?.children[1]?.name).toBe('通知');
    expect(renameColumn(tree, [0, 1], '通知公告').ok).toBe(true);
    expect(renameColumn(tree, [0, 1], '要闻动态')).toEqual({ ok: false, error: 'name_duplicate' });
  });

  it('deletes a node with its sub-columns and moves nodes among siblings', () => {
    const removed = removeColumn(tree, [0, 0]);
    expect(removed.ok && removed.tree[0]?.children.map((node) => node.name)).toEqual(['通知公告']);
    const moved = moveColumn(tree, [0, 1], -1);
    expect(moved.ok && moved.tree[0]?.children.map((node) => node.name)).toEqual(['通知公告', '要闻动态']);
    expect(moveColumn(tree, [0, 0], -1)).toEqual({ ok: false, error: 'cannot_move' });
  });
});

describe('units and list edits', () => {
  it('adds and renames units, refusing blanks and duplicates', () => {
    expect(editUnit(['区党政办'], ' 区财政局 ')).toEqual({ ok: true, units: ['区党政办', '区财政局'] });
    expect(editUnit(['区党政办'], '区党政办')).toEqual({ ok: false, error: 'name_duplicate' });
    expect(editUnit(['区党政办'], '')).toEqual({ ok: false, error: 'name_required' });
    expect(editUnit(['区党政办', '区财政局'], '区党工委', 1)).toEqual({ ok: true, units: ['区党政办', '区党工委'] });
  });

  it('moves items and ignores moves past either end', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });
});

describe('metadata for saving', () => {
  it('reports a missing title without changing what can be saved', () => {
    const meta = { ...emptyMeta(), title: '  ' };
    expect(metaIssues(meta)).toEqual({ title: 'title_required' });
    expect(metaIssues({ ...meta, title: '会议新闻' })).toEqual({});
  });

  it('drops unfinished rows and a zero head-count from what is sent', () => {
    const storable = toStorableMeta({
      ...emptyMeta('meeting'),
      keywords: ['生态', ' '],
      cover: { src: '', alt: '' },
      meeting: {
        name: '',
        host: '',
        place: '',
        attendees: [{ kind: 'group', name: '', role: '参加' }],
        headcount: { count: 0, approximate: true },
      },
    });
    expect(storable.keywords).toEqual(['生态']);
    expect(storable.cover).toBeNull();
    expect(storable.meeting?.attendees).toEqual([]);
    expect(storable.meeting?.headcount).toBeNull();
  });
});
