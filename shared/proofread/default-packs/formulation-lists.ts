/** A fixed formulation whose parts are listed in a fixed order. */
export interface FormulationList {
  /** The formulation's name (四个意识). */
  name: string;
  /** Its parts, in order. */
  items: readonly string[];
  /** The parts as written in the standard text, separators included. */
  standard: string;
  /**
   * Parts no ordinary sentence lists by accident (政治意识, 道路自信): mixing
   * them with another list's parts is a slip. Lists of common words (民主、文明)
   * are only checked when all their parts are there.
   */
  distinctive: boolean;
}

export const FORMULATION_LISTS_SOURCE =
  '《中国共产党章程》（2022年修改）总纲；党的十八大报告（社会主义核心价值观、“五位一体”）；十八届五中全会公报（新发展理念）；《关于在县处级以上领导干部中开展“三严三实”专题教育方案》（2015）';

const list = (name: string, standard: string, distinctive: boolean): FormulationList => ({
  name,
  items: standard.split(/[、，]/),
  standard,
  distinctive,
});

export const FORMULATION_LISTS: readonly FormulationList[] = [
  list('四个意识', '政治意识、大局意识、核心意识、看齐意识', true),
  list('四个自信', '道路自信、理论自信、制度自信、文化自信', true),
  list('三严三实', '严以修身、严以用权、严以律己，谋事要实、创业要实、做人要实', true),
  list('五位一体', '经济建设、政治建设、文化建设、社会建设、生态文明建设', false),
  list('新发展理念', '创新、协调、绿色、开放、共享', false),
  list('社会主义核心价值观', '富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善', false),
];
