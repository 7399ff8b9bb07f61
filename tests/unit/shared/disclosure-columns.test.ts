import { describe, expect, it } from 'vitest';
import { emptyMeta } from '../../../shared/domain/article';
import { withColumn } from '../../../shared/domain/disclosure';
import { columnKeys, defaultSiteProfile, isDisclosureColumn, SiteProfileSchema } from '../../../shared/portal/site';

const site = SiteProfileSchema.parse({
  ...defaultSiteProfile(),
  government: { ...defaultSiteProfile().government, disclosureColumns: ['政务公开/人事信息'] },
});
const wants = (column: readonly string[]) => isDisclosureColumn(site, column);

describe('信息公开 columns', () => {
  it('lists the site’s columns below 首页 by the keys the settings use, parents first', () => {
    expect(columnKeys(site)).toEqual([
      '要闻动态',
      '要闻动态/政务要闻',
      '要闻动态/部门动态',
      '要闻动态/基层动态',
      '要闻动态/媒体关注',
      '通知公告',
      '通知公告/通知',
      '通知公告/公告',
      '政务公开',
      '政务公开/政策文件',
      '政务公开/人事信息',
      '专题专栏',
    ]);
  });

  it('start the fields of a 活动 (event) article put into a configured column, with no genre guessed', () => {
    const news = emptyMeta('event');
    const moved = withColumn(news, ['首页', '政务公开', '人事信息'], wants);
    expect(moved.column).toEqual(['首页', '政务公开', '人事信息']);
    expect(moved.disclosure).toMatchObject({ publisher: '', docNo: '', genre: '', validity: { state: '有效' } });
  });

  it('leave an article in any other column, or the home page, as it was', () => {
    expect(withColumn(emptyMeta('event'), ['首页', '政务公开', '政策文件'], wants).disclosure).toBeUndefined();
    expect(withColumn(emptyMeta('event'), ['首页'], wants).disclosure).toBeUndefined();
    expect(wants([])).toBe(false);
  });

  it('keep what the writer already typed, entering or leaving such a column', () => {
    const typed = withColumn(emptyMeta('event'), ['首页', '政务公开', '人事信息'], wants);
    const filled = { ...typed, disclosure: { ...typed.disclosure!, docNo: '新开政办〔2024〕7号' } };
    expect(withColumn(filled, ['首页', '要闻动态'], wants).disclosure?.docNo).toBe('新开政办〔2024〕7号');
    expect(withColumn(filled, ['首页', '政务公开', '人事信息'], wants).disclosure?.docNo).toBe('新开政办〔2024〕7号');
  });

  it('start a 通知 moved into such a column with its template’s genre', () => {
    expect(withColumn(emptyMeta('notice'), ['首页', '政务公开', '人事信息'], wants).disclosure?.genre).toBe('通知');
  });
});
