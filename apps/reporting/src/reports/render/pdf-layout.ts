import PDFDocument from 'pdfkit';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { createDeflate } from 'node:zlib';

export interface Column {
  header: string;
  width: number;
}

export interface FooterText {
  left: string;
  /** Printed under the left text, e.g. the SHA-256 of the content. */
  second?: string;
  pageLabel: (page: number) => string;
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 40;
const FOOTER_HEIGHT = 30;
const ROW_HEIGHT = 11;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
// Below this, a string fits whatever its characters: every Helvetica glyph is narrower than 1.02 em.
const WIDEST_GLYPH_EM = 1.02;

/** The pdfkit internals of a standard (AFM) font that the fast text path needs. */
interface StandardFontInternals {
  id: string;
  ascender: number;
  font: { encodeText(text: string): string[] };
  ref(): unknown;
}

/** A number as PDF content writes it: at most two decimals (1/7200 inch), never an exponent. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The pdfkit internals an attachment streamed from disk needs (pdfkit's own file() reads it whole into memory). */
interface PdfKitInternals {
  _root: { data: { AF?: unknown[] } };
  addNamedEmbeddedFile(name: string, ref: PDFKit.PDFKitReference): void;
}

/**
 * The page mechanics shared by every report: A4 pages streamed to `out` as they fill
 * (never buffered: pdfkit writes a page when the next one starts), a footer and page
 * number on each page, headings, key/value lines and fixed-width table rows whose
 * cells are cut to their column (one line per row: predictable pages, fast layout).
 */
export class PdfLayout {
  readonly doc: PDFKit.PDFDocument;
  private readonly bottom = PAGE.height - MARGIN - FOOTER_HEIGHT;
  private pageNumber = 0;
  private y = MARGIN;
  rows = 0;
  private tableHeader?: Column[];
  /** Glyph advance widths per font at size 1, measured once per character. */
  private readonly advances = new Map<string, Map<number, number>>();
  private readonly fonts = new Map<string, StandardFontInternals>();

  constructor(
    private readonly out: Writable,
    info: { title: string; createdAt: Date; language: string },
    private readonly footer: FooterText,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      autoFirstPage: false,
      compress: true,
      lang: info.language,
      info: { Title: info.title, Author: 'Procura', Creator: 'Procura reporting', CreationDate: info.createdAt },
    });
    this.doc.pipe(out);
    this.newPage();
  }

  get pages(): number {
    return this.pageNumber;
  }

  newPage(): void {
    this.doc.addPage();
    this.pageNumber++;
    this.drawFooter();
    this.y = MARGIN;
  }

  /** Starts a new page unless `height` points are still free on this one. */
  ensureSpace(height: number): void {
    if (this.y + height > this.bottom) {
      this.newPage();
      if (this.tableHeader) this.drawHeaderRow(this.tableHeader);
    }
  }

  title(text: string, size = 18): void {
    this.ensureSpace(size + 10);
    this.doc.font(BOLD).fontSize(size).text(text, MARGIN, this.y, { lineBreak: false, width: this.contentWidth });
    this.y += size + 8;
  }

  heading(text: string, size = 11): void {
    this.endTable();
    this.ensureSpace(size + 8 + ROW_HEIGHT * 2);
    this.y += 4;
    this.writeCells([[this.fit(text, this.contentWidth, size, BOLD), MARGIN]], BOLD, size);
    this.y += size + 4;
  }

  /** A paragraph that wraps (cover page texts). */
  paragraph(text: string, size = 9): void {
    this.doc.font(FONT).fontSize(size);
    const height = this.doc.heightOfString(text, { width: this.contentWidth });
    this.ensureSpace(height + 4);
    this.doc.text(text, MARGIN, this.y, { width: this.contentWidth });
    this.y += height + 4;
  }

  keyValues(pairs: Array<[string, string]>, size = 9): void {
    this.endTable();
    for (const [key, value] of pairs) {
      this.ensureSpace(size + 4);
      this.doc
        .font(BOLD)
        .fontSize(size)
        .text(this.fit(key, 190, size, BOLD), MARGIN, this.y, { lineBreak: false });
      this.doc
        .font(FONT)
        .fontSize(size)
        .text(this.fit(value, this.contentWidth - 200, size, FONT), MARGIN + 200, this.y, { lineBreak: false });
      this.y += size + 4;
    }
  }

  line(text: string, size = 8): void {
    this.endTable();
    this.ensureSpace(ROW_HEIGHT);
    this.writeCells([[this.fit(text, this.contentWidth, size, FONT), MARGIN]], FONT, size);
    this.y += ROW_HEIGHT;
  }

  /** Starts a table: its header row is repeated at the top of each page it spans. */
  table(columns: Column[]): void {
    this.endTable();
    this.ensureSpace(ROW_HEIGHT * 2);
    this.tableHeader = columns;
    this.drawHeaderRow(columns);
  }

  row(cells: string[], size = 7.5): void {
    const columns = this.tableHeader;
    if (!columns) throw new Error('row() outside a table');
    this.ensureSpace(ROW_HEIGHT);
    const placed: Array<[string, number]> = [];
    let x = MARGIN;
    for (let i = 0; i < columns.length; i++) {
      const text = cells[i] ?? '';
      if (text) placed.push([this.fit(text, columns[i].width - 4, size, FONT), x]);
      x += columns[i].width;
    }
    this.writeCells(placed, FONT, size);
    this.y += ROW_HEIGHT;
    this.rows++;
  }

  endTable(): void {
    if (this.tableHeader) {
      this.tableHeader = undefined;
      this.y += 3;
    }
  }

  space(points: number): void {
    this.y += points;
  }

  /** Lets the output catch up: pdfkit pushes regardless of back-pressure, so memory stays flat only if we wait. */
  async drain(): Promise<void> {
    if ((this.out as Writable & { writableNeedDrain?: boolean }).writableNeedDrain) await once(this.out, 'drain');
  }

  /** Ends the document and resolves once every byte reached `out`. */
  async finish(): Promise<void> {
    const finished = once(this.out, 'finish');
    this.doc.end();
    await finished;
  }

  get contentWidth(): number {
    return PAGE.width - 2 * MARGIN;
  }

  private drawHeaderRow(columns: Column[]): void {
    const size = 7.5;
    const placed: Array<[string, number]> = [];
    let x = MARGIN;
    for (const column of columns) {
      placed.push([this.fit(column.header, column.width - 4, size, BOLD), x]);
      x += column.width;
    }
    this.writeCells(placed, BOLD, size);
    this.y += ROW_HEIGHT;
    this.doc
      .moveTo(MARGIN, this.y - 2)
      .lineTo(MARGIN + columns.reduce((sum, c) => sum + c.width, 0), this.y - 2)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
  }

  private drawFooter(): void {
    const page = this.doc.page;
    const bottomMargin = page.margins.bottom;
    // Text below the bottom margin would otherwise make pdfkit start a page.
    page.margins.bottom = 0;
    const y = PAGE.height - MARGIN - FOOTER_HEIGHT + 10;
    this.doc.font(FONT).fontSize(6.5).fillColor('#555555');
    this.doc.text(this.fit(this.footer.left, this.contentWidth - 60, 6.5, FONT), MARGIN, y, { lineBreak: false });
    const label = this.footer.pageLabel(this.pageNumber);
    this.doc.text(label, PAGE.width - MARGIN - this.doc.widthOfString(label), y, { lineBreak: false });
    if (this.footer.second) this.doc.text(this.fit(this.footer.second, this.contentWidth, 6.5, FONT), MARGIN, y + 9, { lineBreak: false });
    this.doc.fillColor('#000000');
    page.margins.bottom = bottomMargin;
  }

  /** Embeds a file (e.g. the report's data) compressed chunk by chunk: only its compressed bytes are ever in memory. */
  async attach(path: string, options: { name: string; type: string; description: string; date: Date }): Promise<void> {
    const md5 = createHash('md5');
    let size = 0;
    const compressed: Buffer[] = [];
    const deflate = createDeflate();
    const source = createReadStream(path);
    source.on('data', (chunk) => {
      md5.update(chunk as Buffer);
      size += chunk.length;
    });
    source.pipe(deflate);
    for await (const chunk of deflate) compressed.push(chunk as Buffer);
    const file = this.doc.ref({
      Type: 'EmbeddedFile',
      Subtype: options.type.replace('/', '#2F'),
      Filter: 'FlateDecode',
      Params: { CheckSum: new String(md5.digest('hex')), Size: size, CreationDate: options.date, ModDate: options.date },
    });
    for (const chunk of compressed) file.write(chunk);
    file.end(undefined);
    const spec = this.doc.ref({
      Type: 'Filespec',
      AFRelationship: 'Data',
      F: new String(options.name),
      UF: new String(options.name),
      EF: { F: file },
      Desc: new String(options.description),
    });
    spec.end(undefined);
    const internals = this.doc as unknown as PdfKitInternals;
    internals.addNamedEmbeddedFile(options.name, spec);
    (internals._root.data.AF ??= []).push(spec);
  }

  /**
   * Single-line texts at the current line, written straight into the page's content
   * stream, as pdfkit's text() writes them (one text object per cell, top-left origin,
   * the font registered on the page) without its per-call work: measuring, kerning and
   * one buffer per operator made text() most of the build time and of its garbage. One
   * content write per row; no kerning (Helvetica's pairs only move glyphs closer).
   */
  private writeCells(cells: Array<[text: string, x: number]>, fontName: string, size: number): void {
    if (cells.length === 0) return;
    const font = this.standardFont(fontName);
    const page = this.doc.page as unknown as { fonts: Record<string, unknown>; height: number };
    page.fonts[font.id] ??= font.ref();
    const baseline = num(page.height - this.y - (font.ascender / 1000) * size);
    // pdfkit flips the page to a top-left origin; text objects are written in PDF's own.
    let ops = `q\n1 0 0 -1 0 ${num(page.height)} cm\n`;
    for (const [text, x] of cells) {
      let hex = '';
      for (const code of font.font.encodeText(text)) hex += code.length === 1 ? `0${code}` : code;
      ops += `BT\n1 0 0 1 ${num(x)} ${baseline} Tm\n/${font.id} ${num(size)} Tf\n<${hex}> Tj\nET\n`;
    }
    this.doc.addContent(`${ops}Q`);
  }

  private standardFont(name: string): StandardFontInternals {
    let font = this.fonts.get(name);
    if (!font) {
      const doc = this.doc.font(name) as unknown as { _font: StandardFontInternals };
      font = doc._font;
      this.fonts.set(name, font);
    }
    return font;
  }

  /** The text cut (with an ellipsis) to `width` points. */
  private fit(text: string, width: number, size: number, font: string): string {
    if (text.length * size * WIDEST_GLYPH_EM <= width) return text;
    if (this.widthOf(text, size, font) <= width) return text;
    const ellipsis = this.widthOf('…', size, font);
    let used = 0;
    let end = 0;
    while (end < text.length) {
      const next = used + this.widthOf(text[end], size, font);
      if (next + ellipsis > width) break;
      used = next;
      end++;
    }
    return `${text.slice(0, end)}…`;
  }

  /**
   * Width without kerning, from per-character advances measured once: pdfkit's own
   * measure looks up every kerning pair and made the fitting cost as much as the text.
   * Helvetica's kerning pairs only narrow text, so this never under-estimates.
   */
  private widthOf(text: string, size: number, font: string): number {
    let table = this.advances.get(font);
    if (!table) this.advances.set(font, (table = new Map()));
    let total = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let advance = table.get(code);
      if (advance === undefined) {
        this.doc.font(font).fontSize(100);
        advance = this.doc.widthOfString(text[i]) / 100;
        this.doc.fontSize(size);
        table.set(code, advance);
      }
      total += advance;
    }
    return total * size;
  }
}
