import { z } from 'zod';

export interface ColumnNode {
  name: string;
  children: ColumnNode[];
}

export const ColumnNodeSchema: z.ZodType<ColumnNode> = z.lazy(() =>
  z.object({
    name: z.string().trim().min(1),
    children: z.array(ColumnNodeSchema).default([]),
  }),
) as z.ZodType<ColumnNode>;

export const LOCALES = ['zh-CN', 'en'] as const;
export const LocaleSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof LocaleSchema>;

export const SettingsSchema = z.object({
  locale: LocaleSchema.default('zh-CN'),
  /** The site's column tree; its root is normally 首页. */
  columns: z.array(ColumnNodeSchema).default([]),
  /** The office's list of source units (来源); free text is allowed too. */
  units: z.array(z.string().trim().min(1)).default([]),
  /** How the 审核表 is printed. */
  signoff: z
    .object({
      /** The office's name heading its forms, e.g. 某某区人民政府办公室; empty leaves the heading out. */
      officeName: z.string().trim().max(100).default(''),
      /** Print an empty 保密审查 row to be filled in by hand. */
      confidentialityReview: z.boolean().default(false),
      /** Append the article's text after the table. */
      appendText: z.boolean().default(false),
    })
    .default({ officeName: '', confidentialityReview: false, appendText: false }),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A typical development-zone portal; the office edits it in settings. */
export function defaultSettings(): Settings {
  return {
    locale: 'zh-CN',
    columns: [
      {
        name: '首页',
        children: [
          {
            name: '要闻动态',
            children: [
              { name: '政务要闻', children: [] },
              { name: '部门动态', children: [] },
              { name: '基层动态', children: [] },
              { name: '媒体关注', children: [] },
            ],
          },
          {
            name: '通知公告',
            children: [
              { name: '通知', children: [] },
              { name: '公告', children: [] },
            ],
          },
          {
            name: '政务公开',
            children: [
              { name: '政策文件', children: [] },
              { name: '人事信息', children: [] },
            ],
          },
          { name: '专题专栏', children: [] },
        ],
      },
    ],
    units: ['区党政办', '区党工委', '区管委会', '区经济发展局', '区财政局', '区生态环境分局', '区社会事业局'],
    signoff: { officeName: '', confidentialityReview: false, appendText: false },
  };
}

/** Every path in the tree, root first: [['首页'], ['首页','要闻动态'], ...]. */
export function columnPaths(tree: ColumnNode[], prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const node of tree) {
    const path = [...prefix, node.name];
    out.push(path);
    out.push(...columnPaths(node.children, path));
  }
  return out;
}

export function formatColumnPath(path: readonly string[]): string {
  return path.join(' › ');
}
