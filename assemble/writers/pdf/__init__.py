"""The Quarterly Update PDF (WeasyPrint, then pikepdf), one idea a module, in the order
the data flows:

- ``template``: a Report → the HTML the engine lays out (Jinja, autoescaped);
- ``sandbox``: a URL the engine asks for → a file under templates/, or a refusal;
- ``engine``: HTML → laid-out pages, with the fonts and stylesheet loaded once;
- ``windows``: the body → parts, tagged PDFs of consecutive pages, laid out in windows
  of commitments, each as far as about a page at a time;
- ``forked``: the windows laid out in forked layout processes, on more than one core;
- ``cache``: earlier builds' layouts → less work for this one (``watch``);
- ``document``: a Report → its PDF and Pagination: the parts, the cover and contents
  with their page ranges, joined, finished and stamped;
- ``links``, ``fonts``: the engine's links and anchors, and the fonts it drew with →
  what a reader meets, and warnings;
- ``join``: parts → one tagged PDF, page numbers stamped; ``pdfua``: the joined PDF →
  PDF/UA-1;
- ``jobs``: a command's reports → PDFs, laid out here or by a worker started ahead,
  with the layout settings and cache the command owns (``PdfJobs``);
- ``processes``: work done in a forked process, and the one failure protocol that
  carries a problem's kind back.

Every commitment (and every priority without one) starts a page, so the body is laid
out in parts that know nothing of each other, and joined; the page numbers, the only
thing a page owes to the pages before it, are stamped on last. Same report, same bytes,
however many processes.

All text is data: the template is autoescaped and submission text only ever reaches it
as values. WeasyPrint may load nothing but files under ``templates/`` (stylesheet,
fonts, draft watermark); anything else stops it.

Importing the package loads nothing of the engine, only ``PdfJobs``, which a command
holds: the engine's modules are imported when a PDF is laid out.
"""

from .jobs import PdfJob, PdfJobs

__all__ = ["PdfJob", "PdfJobs"]
