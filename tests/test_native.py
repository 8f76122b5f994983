from assemble.model import Item
from assemble.versions.native import dump, load

from .meta import META

OUTLINE = """priority 1: More Local
lead-in: We will:
commitment 1.1: Boost.
- text one **bold** and *it*
  - child
- [North LPA]
  - [Colchester] x
    - deeper
subheading: The FCR
- y
commitment 1.2: Another.
- z
priority 2: Two
lead-in: We:
commitment 2.1: C.
- [West LPA] q
"""


def test_round_trip():
    assert dump(load(OUTLINE, META)) == OUTLINE


def test_emphasis_spans():
    item = load(OUTLINE, META).priorities[0].commitments[0].blocks[0]
    assert isinstance(item, Item)
    assert [(s.text, s.bold, s.italic) for s in item.spans] == [
        ("text one ", False, False), ("bold", True, False), (" and ", False, False), ("it", False, True)]
