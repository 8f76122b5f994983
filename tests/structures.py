"""Word and Excel structures made in code, as Word and Excel store them (issue 13).

A ``Doc`` is a Word return built with python-docx plus the raw XML python-docx has no
API for: numbered headings, text boxes with the compatibility copy Word keeps beside
them, content controls, fields, internal links, footnotes and endnotes, embedded HTML
chunks, charts. ``strict`` turns any package into its Strict Open XML form, as Word and
Excel save it. The workbook builders make what openpyxl's full mode refuses but Excel
opens: a pivot table, a cell style the workbook lacks, a used range of a million rows.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .builders import bullet
from .hostile import parts, write_parts
from .present import sheet as active

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:o="urn:schemas-microsoft-com:office:office" '
      'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _runs(texts: list[str] | str) -> str:
    if isinstance(texts, str):
        texts = [texts]
    return "".join(f'<w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r>' for t in texts)


def _paras(texts: list[str]) -> str:
    return "".join(f"<w:p>{_runs(t)}</w:p>" for t in texts)


def textbox_run(texts: list[str], fallback: bool = True, vml_only: bool = False, box_id: int = 1) -> str:
    """A run anchoring a text box: Word's drawing (mc:Choice, wps:txbx) and, beside it, the
    VML copy older Word reads (mc:Fallback); or, from an old document, the VML shape alone."""
    content = f"<w:txbxContent>{_paras(texts)}</w:txbxContent>"
    vml = (f'<w:pict><v:shape id="Text Box {box_id}" type="#_x0000_t202" style="width:200pt;height:40pt">'
           f"<v:textbox>{content}</v:textbox></v:shape></w:pict>")
    if vml_only:
        return f"<w:r>{vml}</w:r>"
    drawing = (
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2540000" cy="508000"/><wp:wrapSquare wrapText="bothSides"/>'
        f'<wp:docPr id="{box_id}" name="Text Box {box_id}"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing>")
    choice = f'<mc:Choice Requires="wps">{drawing}</mc:Choice>'
    return f"<w:r><mc:AlternateContent>{choice}{f'<mc:Fallback>{vml}</mc:Fallback>' if fallback else ''}" \
           "</mc:AlternateContent></w:r>"


class Doc:
    """A Word return under construction; `save` writes it with the parts it needs."""

    def __init__(self) -> None:
        self.d = docx.Document()
        self.footnotes: list[str] = []
        self.endnotes: list[str] = []
        self.chunks: list[bytes] = []
        self.extra: dict[str, bytes] = {}
        self.rels: list[tuple[str, str, str, str]] = []  # id, type, target, mode
        self._lists: dict[str, int] = {}

    # --- plain paragraphs ------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> Doc:
        self.d.add_heading(text, level=level)
        return self

    def para(self, text: str, style: str | None = None, bold: bool = False) -> Doc:
        p = self.d.add_paragraph(style=style)
        p.add_run(text).bold = bold or None
        return self

    def bullet(self, text: str, level: int = 0) -> Doc:
        p = self.d.add_paragraph(style="List Paragraph")
        p.add_run(text)
        bullet(p, level)
        return self

    def lines(self, texts: list[str], level: int | None = 0, style: str | None = None) -> Doc:
        """One paragraph holding `texts`, a line break (Shift+Enter, w:br) between them: a
        bullet at `level`, or a plain paragraph (`level` None)."""
        p = self.d.add_paragraph(style=style or ("List Paragraph" if level is not None else None))
        for k, text in enumerate(texts):
            run = p.add_run(text)
            if k < len(texts) - 1:
                run.add_break()
        if level is not None:
            bullet(p, level)
        return self

    def xml(self, xml: str) -> Doc:
        """A block element of raw WordprocessingML (the namespaces above are declared)."""
        body = self.d.element.body
        body.insert(len(body) - 1, parse_xml(re.sub(r"^<(\w+:\w+)", lambda m: f"<{m.group(1)} {NS}", xml, count=1)))
        return self

    # --- numbering ------------------------------------------------------------------------

    def numbered_list(self, text: str, fmt: str = "decimal") -> int:
        """A one-level list definition whose number shows as `text` ("%1.", "Priority %1 –"); its numId."""
        key = f"{text}|{fmt}"
        if key not in self._lists:
            numbering = self.d.part.numbering_part.element
            abstract_id = 1 + max(int(x) for x in numbering.xpath("./w:abstractNum/@w:abstractNumId"))
            numbering.xpath("./w:abstractNum")[-1].addnext(parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:lvl w:ilvl="0">'
                f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{escape(text)}"/>'
                '<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'))
            self._lists[key] = numbering.add_num(abstract_id).numId
        return self._lists[key]

    def numbered(self, text: str, shows: str = "%1.", style: str | None = "Heading 1") -> Doc:
        """A paragraph numbered by Word's numbering, which shows `shows` before `text`."""
        p = self.d.add_paragraph(text, style=style)
        bullet(p, 0, self.numbered_list(shows))
        return self

    # --- text boxes, content controls, tables ------------------------------------------------

    def textbox(self, anchor: str, texts: list[str], fallback: bool = True, vml_only: bool = False) -> Doc:
        """A paragraph (its text `anchor`, maybe empty) anchoring a text box holding `texts`."""
        box = textbox_run(texts, fallback, vml_only, box_id=len(self.d.element.body) + 1)
        return self.xml(f"<w:p>{_runs(anchor) if anchor else ''}{box}</w:p>")

    def control(self, texts: list[str], placeholder: bool = False) -> Doc:
        """A block content control around paragraphs (showing its placeholder text: empty)."""
        props = "<w:sdtPr><w:alias w:val=\"Update\"/>" + ("<w:showingPlcHdr/>" if placeholder else "") + \
            "</w:sdtPr>"
        return self.xml(f"<w:sdt>{props}<w:sdtContent>{_paras(texts)}</w:sdtContent></w:sdt>")

    def inline_control(self, before: str, inside: str, after: str = "", level: int | None = 0) -> Doc:
        """A paragraph with a content control inside it (a dropdown, a plain text box)."""
        numpr = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>' \
            if level is not None else ""
        return self.xml(f"<w:p>{numpr}{_runs(before)}<w:sdt><w:sdtPr/><w:sdtContent>{_runs(inside)}"
                        f"</w:sdtContent></w:sdt>{_runs(after)}</w:p>")

    def table(self, rows: list[list[str | list[str]]], row_control: bool = False) -> Doc:
        """A table; a cell of several lines is a list of them. `row_control` wraps each row
        in a content control (a repeating section)."""
        out = []
        for row in rows:
            cells = "".join(f"<w:tc><w:tcPr/>{_paras(c if isinstance(c, list) else [c] if c else [''])}</w:tc>"
                            for c in row)
            tr = f"<w:tr>{cells}</w:tr>"
            out.append(f"<w:sdt><w:sdtPr/><w:sdtContent>{tr}</w:sdtContent></w:sdt>" if row_control else tr)
        grid = "".join("<w:gridCol/>" for _ in rows[0])
        return self.xml(f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(out)}</w:tbl>")

    # --- fields, links, notes --------------------------------------------------------------

    def fields(self, before: str, simple: str, complex_result: str, after: str = "", level: int = 0) -> Doc:
        """A bullet holding a simple field and a complex one (its code is not text; its result is)."""
        return self.xml(
            f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>{_runs(before)}'
            f'<w:fldSimple w:instr=" DOCPROPERTY Title ">{_runs(simple)}</w:fldSimple>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF _Ref1 \\h '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{_runs(complex_result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>{_runs(after)}</w:p>')

    def links(self, before: str, internal: str, external: str, level: int = 0) -> Doc:
        """A bullet with an internal link (to a bookmark) and one kept as a relationship
        whose target is '#…' without being marked external, as some tools write them."""
        rid = f"rIdLink{len(self.rels) + 1}"
        self.rels.append((rid, f"{REL}/hyperlink", "#_THIS_WEEK_IN", ""))
        return self.xml(
            f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>{_runs(before)}'
            f'<w:hyperlink w:anchor="_Toc1">{_runs(internal)}</w:hyperlink>{_runs(" ")}'
            f'<w:hyperlink r:id="{rid}">{_runs(external)}</w:hyperlink></w:p>')

    def noted(self, text: str, note: str, kind: str = "footnote", level: int | None = 0) -> Doc:
        """A paragraph referring to a footnote (or endnote) holding `note`."""
        notes = self.footnotes if kind == "footnote" else self.endnotes
        notes.append(note)
        numpr = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>' \
            if level is not None else ""
        return self.xml(f'<w:p>{numpr}{_runs(text)}<w:r><w:{kind}Reference w:id="{len(notes)}"/></w:r></w:p>')

    def chunk(self, html: bytes) -> Doc:
        """An embedded HTML chunk (w:altChunk), as Word keeps a pasted web page until it saves."""
        self.chunks.append(html)
        rid = f"rIdChunk{len(self.chunks)}"
        self.rels.append((rid, f"{REL}/aFChunk", f"afchunk{len(self.chunks)}.htm", ""))
        return self.xml(f'<w:altChunk r:id="{rid}"/>')

    def chart(self, anchor: str) -> Doc:
        """A paragraph holding a chart (its data lives in a part the reader does not read)."""
        return self.xml(
            f'<w:p>{_runs(anchor)}<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="99" name="c"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"/></a:graphic>'
            "</wp:inline></w:drawing></w:r></w:p>")

    # --- writing ------------------------------------------------------------------------------

    def save(self, path: Path) -> Path:
        self.d.save(str(path))
        contents = parts(path)
        rels = contents["word/_rels/document.xml.rels"].decode()
        types = contents["[Content_Types].xml"].decode()
        for kind, notes in (("footnote", self.footnotes), ("endnote", self.endnotes)):
            if not notes:
                continue
            body = "".join(
                f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r>{_runs(" " + n)}</w:p></w:{kind}>'
                for i, n in enumerate(notes, start=1))
            separators = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                          f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                          f"</w:r></w:p></w:{kind}>")
            contents[f"word/{kind}s.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                             f'<w:{kind}s xmlns:w="{W}">{separators}{body}</w:{kind}s>').encode()
            self.rels.append((f"rId{kind}s", f"{REL}/{kind}s", f"{kind}s.xml", ""))
            types = types.replace("</Types>", f'<Override PartName="/word/{kind}s.xml" ContentType="application/'
                                  f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/></Types>')
        for i, html in enumerate(self.chunks, start=1):
            contents[f"word/afchunk{i}.htm"] = html
        if self.chunks:
            types = types.replace("</Types>", '<Default Extension="htm" ContentType="application/xhtml+xml"/></Types>')
        extra = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"'
                        + (f' TargetMode="{mode}"' if mode else "") + "/>" for rid, kind, target, mode in self.rels)
        contents["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", extra + "</Relationships>").encode()
        contents["[Content_Types].xml"] = types.encode()
        contents.update(self.extra)
        return write_parts(path, contents)


# --- Strict Open XML ------------------------------------------------------------------------

_TO_STRICT = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "http://purl.oclc.org/ooxml/wordprocessingml/main",
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing":
        "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "http://purl.oclc.org/ooxml/officeDocument/math",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes":
        "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
}


def strict(path: Path) -> Path:
    """The package saved as Strict Open XML: the same parts under the Strict namespaces and
    relationship types, the main part marked conformance="strict", as Office writes it."""
    contents = parts(path)
    for name, data in contents.items():
        if not name.endswith((".xml", ".rels")):
            continue
        text = data.decode("utf-8")
        for old, new in _TO_STRICT.items():
            text = text.replace(old, new)
        if name in ("word/document.xml", "xl/workbook.xml"):
            text = re.sub(r"(<(?:w:document|workbook)\b)", r'\1 conformance="strict"', text, count=1)
        contents[name] = text.encode("utf-8")
    return write_parts(path, contents)


# --- workbooks openpyxl's full mode refuses --------------------------------------------------


def _sheet(contents: dict[str, bytes]) -> str:
    return contents["xl/worksheets/sheet1.xml"].decode()


def with_pivot_table(path: Path) -> Path:
    """A pivot table on the sheet whose definition openpyxl's full mode cannot load
    (its cache is missing, as after a refresh failed): Excel opens it, read-only mode too."""
    contents = parts(path)
    contents["xl/pivotTables/pivotTable1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<pivotTableDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="Pivot1" '
        b'cacheId="7" dataCaption="Values"><location ref="H1:I3" firstHeaderRow="1" firstDataRow="1" '
        b'firstDataCol="1"/></pivotTableDefinition>')
    contents["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rIdPivot1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'pivotTable" Target="../pivotTables/pivotTable1.xml"/></Relationships>')
    contents["[Content_Types].xml"] = contents["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/pivotTables/pivotTable1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml"/></Types>')
    return write_parts(path, contents)


def with_unknown_style(path: Path, cell: str = "E2") -> Path:
    """A cell whose style index is past the workbook's list of styles (as some exporters write)."""
    contents = parts(path)
    contents["xl/worksheets/sheet1.xml"] = re.sub(
        rf'<c r="{cell}"( s="\d+")?', f'<c r="{cell}" s="99"', _sheet(contents), count=1).encode()
    return write_parts(path, contents)


def with_a_million_rows(path: Path) -> Path:
    """A sheet claiming A1:E1048576 as its used range, formatted to its last row, as a
    whole-column format or a paste leaves it; its real content is a few rows."""
    contents = parts(path)
    sheet = _sheet(contents)
    sheet = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:E1048576"/>', sheet)
    if "<dimension" not in sheet:
        sheet = sheet.replace("<sheetViews", '<dimension ref="A1:E1048576"/><sheetViews', 1)
    sheet = sheet.replace("</sheetData>", '<row r="1048576" s="0" customFormat="1"><c r="E1048576" s="0"/>'
                          "</row></sheetData>")
    contents["xl/worksheets/sheet1.xml"] = sheet.encode()
    return write_parts(path, contents)


def with_merged_blocks(path: Path, blocks: int) -> Path:
    """A million rows as with_a_million_rows, and `blocks` merged blocks of two cells each
    beside the table (G10:H10, G12:H12, …), as a form laid out in merged cells leaves them."""
    contents = parts(with_a_million_rows(path))
    refs = "".join(f'<mergeCell ref="G{10 + 2 * i}:H{10 + 2 * i}"/>' for i in range(blocks))
    sheet = _sheet(contents).replace("</sheetData>", f'</sheetData><mergeCells count="{blocks}">{refs}</mergeCells>', 1)
    contents["xl/worksheets/sheet1.xml"] = sheet.encode()
    return write_parts(path, contents)


def with_a_date_out_of_range(path: Path, cell: str = "E3", serial: int = 99_999_999) -> Path:
    """A cell formatted as a date whose value is past any date (openpyxl warns and gives '#VALUE!')."""
    book = openpyxl.load_workbook(path)
    sheet = active(book)
    sheet[cell] = serial
    sheet[cell].number_format = "dd/mm/yyyy"
    book.save(path)
    return path


def with_an_extension(path: Path) -> Path:
    """A sheet extension openpyxl does not know (it warns that it drops it): nothing of the data."""
    contents = parts(path)
    contents["xl/worksheets/sheet1.xml"] = _sheet(contents).replace(
        "</worksheet>", '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
                        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                        "<x14:conditionalFormattings/></ext></extLst></worksheet>").encode()
    return write_parts(path, contents)


__all__ = ["Doc", "qn", "strict", "textbox_run", "with_a_date_out_of_range", "with_a_million_rows",
           "with_an_extension", "with_pivot_table", "with_unknown_style"]


def every_structure(path: Path) -> Path:
    """A Word return whose lines stand in every place Word keeps text."""
    doc = Doc().para("Area: Roads Policing").heading("Priority 7").para("1")
    doc.bullet("a plain bullet")
    doc.links("See ", "the section above", "this week's note")
    doc.fields("Field results: ", "the title", ", the reference")
    doc.inline_control("Speed checks ", "doubled", " this quarter")
    doc.control(["inside a block control"])
    doc.textbox("the anchor's own words", ["in the box"])
    doc.noted("Casualties fell by a third", "Source: ONS")
    doc.table([["Measure", "Q2"], ["Arrests", "3"]])
    doc.heading("Priority 4")
    doc.table([["Commitment", "Update"], ["1", "from a form's row"]])
    return doc.save(path)
