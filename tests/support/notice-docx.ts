import { AlignmentType, Document, FootnoteReferenceRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';

/** The text of the generated notice, so tests name what they look for once. */
export const NOTICE = {
  organ: '某某区人民政府办公室',
  docNo: '某政办〔2024〕7号',
  title: '关于做好清明节期间安全生产工作的通知',
  addressee: '各园区、各部门：',
  lead: '清明节将至，现将有关事项通知如下。',
  heading1: '一、总体要求',
  heading2: '（二）落实工作责任',
  runIn: '（一）加强组织领导。各单位要亲自部署。',
  footnote: '见《安全生产法》第二十一条。',
  date: '2024年4月6日',
  writtenAt: '2024-04-06',
} as const;

/**
 * A 红头 notice as offices write it in Word: the 发文机关标志 in red, the 文号
 * under it, a centred title, the 主送 line, numbered headings (一、 on its own
 * line, （二） on its own line, （一） run into its paragraph), a table with
 * merged cells, a footnote, and the 落款 and its date right-aligned.
 * `signature: false` leaves the organ out of the 落款 (a lone date).
 */
export async function redheadNoticeDocx(options: { signature?: boolean } = {}): Promise<Buffer> {
  const line = (text: string, extra: Partial<ConstructorParameters<typeof Paragraph>[0] & object> = {}) =>
    new Paragraph({ children: [new TextRun(text)], ...extra });
  const doc = new Document({
    footnotes: { 1: { children: [new Paragraph(NOTICE.footnote)] } },
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `${NOTICE.organ}文件`, color: 'FF0000', size: 72 })] }),
          line(''),
          line(NOTICE.docNo, { alignment: AlignmentType.CENTER }),
          line(''),
          line(NOTICE.title, { alignment: AlignmentType.CENTER }),
          line(''),
          line(NOTICE.addressee),
          new Paragraph({ indent: { firstLine: 640 }, children: [new TextRun(NOTICE.lead), new FootnoteReferenceRun(1)] }),
          line(NOTICE.heading1, { indent: { firstLine: 640 } }),
          line(NOTICE.runIn, { indent: { firstLine: 640 } }),
          line(NOTICE.heading2, { indent: { firstLine: 640 } }),
          line('各单位主要负责人是第一责任人。', { indent: { firstLine: 640 } }),
          new Table({
            rows: [
              new TableRow({ children: [new TableCell({ columnSpan: 2, children: [line('检查安排')] }), new TableCell({ children: [line('备注')] })] }),
              new TableRow({
                children: [new TableCell({ rowSpan: 2, children: [line('第一周')] }), new TableCell({ children: [line('企业')] }), new TableCell({ children: [line('')] })],
              }),
              new TableRow({ children: [new TableCell({ children: [line('景区')] }), new TableCell({ children: [line('')] })] }),
            ],
          }),
          line(''),
          ...(options.signature === false ? [] : [line(NOTICE.organ, { alignment: AlignmentType.RIGHT })]),
          line(NOTICE.date, { alignment: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
