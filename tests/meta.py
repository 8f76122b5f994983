"""The sample quarter's document metadata, as the pipeline derives it, for tests
that build a Report without reading submissions."""

from assemble.model import Meta

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
