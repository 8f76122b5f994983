"""The sample quarter's document metadata, as the pipeline derives it, for tests
that build a Report without reading submissions."""

from assemble.model import Meta, Pagination

META = Meta(
    plan_title="Police and Crime Plan 2016-2020",
    document="Quarterly Update",
    quarter="2020-21-Q2",
    quarter_short="2020/21 Q2",
    quarter_long="Quarter 2 – 2020/21",
    data_to="September 2020",
    produced="October 2020",
    version="1.0",
    marking="OFFICIAL",
    unit="Performance Analysis Unit",
    organisation="Essex Police",
    timestamp="2020-10-01T00:00:00+00:00",
)

# Where the sample's priorities fall in its PDF (tests/writers/test_pdf.py checks the
# PDF writer gives exactly these): the Word contents repeats them.
SAMPLE_PAGINATION = Pagination(16, {1: "3-5", 2: "6-7", 3: "8", 4: "9-10", 5: "11-13", 6: "14-15", 7: "16"})
