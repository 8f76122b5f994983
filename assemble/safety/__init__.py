"""Refuse hostile or broken submission files before a library opens them.

Readers hand every file to ``check.check_package`` first. It looks only at bytes
and zip metadata, with bounded reads, so a decompression bomb or a huge central
directory is refused before anything is inflated into memory; each refusal names
the file and says what to do, in words (``refusals``):

- ``sniff``: empty, too large, or not a zip at all (an old 97-2003 file, a
  password-protected file, a PDF or an image renamed to .docx);
- ``bombs``: too many parts, too much unpacked data, an absurd compression ratio,
  an XML part too large to parse in memory, an encrypted or oddly compressed part;
- ``content_types``: the wrong thing inside (an Excel workbook called .docx, an
  OpenDocument file), and which parts are XML;
- ``xml_heads``: a DOCTYPE or any other markup declaration before an XML part's
  root element, which is how external-entity and entity-expansion attacks start;
- ``sheets``: a sheet whose merges, hyperlinks or furthest cell holding a value
  would make the reader visit millions of cells;
- ``unpacking``: what zipfile raises on a damaged package, and its words.

``limits`` holds every bound, per file and per quarter (``MAX_QUARTER_*``): any
quarter folder they admit builds in under 1 GB (``make bench`` builds the largest).

Nothing here is imported by importing the package: a module that needs a limit
imports ``limits`` alone.
"""
