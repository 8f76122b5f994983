"""The limits a file and a quarter are held to, each with what it bounds.

Per file, they keep a hostile or broken file from exhausting memory or time
(``check``); per quarter, summed over its returns (``pipeline``), they keep any
quarter they admit building in under 1 GB.
"""

from __future__ import annotations

MB = 1_000_000
MAX_FILE_BYTES = 100 * MB  # the file as sent; a 50 MB return full of photographs is read
MAX_PARTS = 2_000  # zip entries; Word and Excel write a few dozen
MAX_DIRECTORY_BYTES = 4 * MB  # the zip's central directory, read whole by zipfile
MAX_UNPACKED_BYTES = 200 * MB  # all parts together, unpacked
MAX_XML_PART_BYTES = 50 * MB  # one XML part, unpacked: parsed whole in memory
MAX_PARAGRAPHS = 20_000  # a Word return's paragraphs; the sample's longest has 40
MAX_SHEET_CELLS = 1_000_000  # a sheet's used rectangle, and the cells its merges and links cover
# Per quarter, summed over its returns. The PDF is laid out in parts, so layout memory does
# not grow with the document; what does is the reading, the checks and the join of the parts.
# The limits are set so that any quarter they admit builds within 1 GB: `make bench` builds
# one at both of them and reports its peak.
MAX_QUARTER_FILES = 200  # the sample has 11
MAX_QUARTER_UPDATES = 10_000  # the sample has 93
MAX_QUARTER_CHARACTERS = 3_000_000  # of update text and labels; the sample has 28,000
MAX_RATIO = 500  # unpacked:packed, for parts over RATIO_FLOOR; zeros deflate at 1,030:1, and
# 10,000 identical bullets in a document.xml at 228:1
RATIO_FLOOR = 1 * MB
