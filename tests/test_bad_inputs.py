"""Bad input gets a clear error naming file, row and column; nothing is lost or half-written."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from factories import event_row
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from analysis.ingest.importers import convert
from analysis.run import cli
from analysis.schema import EVENT_COLUMNS


def text_of(rows: list[dict[str, str]], columns=EVENT_COLUMNS, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter,
                            extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def good() -> list[dict[str, str]]:
    return [event_row(event_id="B-1"), event_row(event_id="B-2", date_start="2020-01-05",
                                                  date_end="2020-01-05")]


def with_row(**overrides: str) -> str:
    return text_of([*good(), event_row(event_id="B-3", **overrides)])


renamed = [c if c != "fatalities_best" else "deaths" for c in EVENT_COLUMNS]
header = ",".join(EVENT_COLUMNS) + "\n"
truncated = text_of(good())[:-40]

#: (name, file content, column named in the message or None, row named or None)
CORPUS: list[tuple[str, bytes, str | None, int | None]] = [
    ("empty file", b"", None, None),
    ("header only", header.encode(), None, None),
    ("missing column", text_of(good(), [c for c in EVENT_COLUMNS if c != "admin1"]).encode(),
     "admin1", 1),
    ("renamed column", text_of([{**r, "deaths": r["fatalities_best"]} for r in good()],
                               renamed).encode(), "fatalities_best", 1),
    ("semicolon delimiter", text_of(good(), delimiter=";").encode(), None, 1),
    ("latin-1 encoding", with_row(location="Ségou").encode("latin-1"), None, 4),
    ("BOM and a bad row", b"\xef\xbb\xbf" + with_row(admin1="Lagos").encode(), "admin1", 4),
    ("spreadsheet date d/m/y", with_row(date_start="23/03/2019").encode(), "date_start", 4),
    ("spreadsheet serial date", with_row(date_start="43547").encode(), "date_start", 4),
    ("date before the study", with_row(date_start="2009-05-01", date_end="2009-05-01").encode(),
     "date_start", 4),
    ("date in the future", with_row(date_start="2099-01-01", date_end="2099-01-01").encode(),
     "date_start", 4),
    ("end before start", with_row(date_end="2019-01-01").encode(), "date_end", 4),
    ("negative deaths", with_row(fatalities_best="-5", fatalities_low="").encode(),
     "fatalities_best", 4),
    ("non-numeric deaths", with_row(fatalities_best="dozens").encode(), "fatalities_best", 4),
    ("swapped bounds", with_row(fatalities_low="170", fatalities_high="130").encode(),
     "fatalities_best", 4),
    ("decimal deaths", with_row(fatalities_best="12.5").encode(), "fatalities_best", 4),
    ("coordinates outside Mali", with_row(latitude="48.85", longitude="2.35").encode(),
     "latitude", 4),
    ("swapped latitude and longitude", with_row(latitude="-3.32", longitude="14.28").encode(),
     "latitude", 4),
    ("point in Mauritania", with_row(latitude="20.0", longitude="-11.0").encode(), "latitude", 4),
    ("unknown actor", with_row(actor1="martians").encode(), "actor1", 4),
    ("unknown event type", with_row(event_type="Skirmish").encode(), "event_type", 4),
    ("sub-event of another type", with_row(sub_event_type="Suicide bomb").encode(),
     "sub_event_type", 4),
    ("unknown source", with_row(source_ids="nosuchsource").encode(), "source_ids", 4),
    ("bad precision", with_row(date_precision="decade").encode(), "date_precision", 4),
    ("bad boolean", with_row(civilian_targeting="perhaps").encode(), "civilian_targeting", 4),
    ("empty required cell", with_row(location="").encode(), "location", 4),
    ("duplicate event ids", text_of([*good(), event_row(event_id="B-1")]).encode(),
     "event_id", None),
    ("ragged row", (text_of(good()) + "B-9,2019-01-01\n").encode(), None, 4),
    ("unknown column", text_of([{**r, "extra": "x"} for r in good()],
                               [*EVENT_COLUMNS, "extra"]).encode(), "extra", None),
    ("truncated file", truncated.encode(), None, 3),
    ("unclosed quote", (text_of(good()) + 'B-9,"2019-01-01\n').encode(), None, None),
    ("a 10 MB line", with_row(notes="x" * 10_000_000).encode(), None, 4),
]


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize(("name", "content", "column", "row"), CORPUS,
                         ids=[c[0] for c in CORPUS])
def test_validate_rejects_with_file_row_and_column(tmp_path, capsys, name, content, column, row):
    """The command (run in this process: tests/test_validate.py runs the real one) names the
    file, the row and the column of the problem, all on the problem's own line."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    status = cli.main(["validate", str(path)])
    stderr = capsys.readouterr().err
    assert status != 0, f"{name} was accepted"
    assert "Traceback" not in stderr, stderr[-2000:]
    lines = [line for line in stderr.splitlines() if line.startswith(str(path))]
    assert lines, stderr[:2000]
    wanted = [f"row {row}" if row is not None else "", f"column '{column}'" if column else ""]
    assert any(all(w in line for w in wanted) for line in lines), (wanted, stderr[:2000])


def test_refresh_refuses_a_bad_file_before_touching_anything(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(with_row(admin1="Atlantis"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "analysis", "refresh", "--events",
                             str(path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "refresh not started" in result.stderr and "Atlantis" in result.stderr


@pytest.mark.parametrize(("name", "content", "message"), [
    ("no csv in zip", b"PK\x05\x06" + b"\x00" * 18, "holds no CSV"),
    ("not a zip", b"this is not a zip", "not a valid zip"),
])
def test_import_rejects_broken_archives(tmp_path, name, content, message):
    path = tmp_path / "ged.zip"
    path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "analysis", "import", str(path),
                             "--format", "ucdp", "--out", str(tmp_path / "out.csv")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.csv").exists()


ACLED_COLUMNS = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                 "actor2", "country", "admin1", "location", "latitude", "longitude",
                 "geo_precision", "fatalities"]
# A bare carriage return would end the record in the file itself, so generated text has none.
cells = st.one_of(st.text(alphabet=st.characters(blacklist_characters="\r",
                                                  blacklist_categories=["Cs"]), max_size=12),
                  st.sampled_from(
    ["", "Mali", "Mopti", "Battles", "Armed clash", "2024-01-05", "not a date", "-3", "7",
     "99999", "15.1", "-3.3", "48.8", "JNIM: Group for Support of Islam and Muslims", "2",
     "Violence against civilians", "Attack", "Gao", "05 January 2024"]))


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({c: cells for c in ACLED_COLUMNS}), min_size=1,
                     max_size=8))
def test_import_accounting_always_balances(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("fuzz") / "acled.csv"
    path.write_text(text_of(rows, ACLED_COLUMNS), encoding="utf-8")
    events, rejected, report = convert(path, "acled")
    assert report.read == len(rows)
    assert report.read == report.imported + report.outside_period + report.rejected
    assert len(events) == report.imported and len(rejected) == report.rejected
    assert rejected["reason"].str.len().gt(0).all()


def test_a_failed_write_leaves_no_partial_output(tmp_path):
    """An import whose output exceeds the file-size limit fails and leaves nothing behind."""
    script = f"""
import resource, signal, sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).parent)!r})
from factories import event_row
from factories import ucdp_rows, write_csv, UCDP_COLUMNS
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
rows = ucdp_rows(("best", "low", "high"))[:2] * 2000
for i, row in enumerate(rows):
    row.update(id=str(i), date_start="2019-09-30", date_end="2019-09-30")
columns = [*UCDP_COLUMNS, "best", "low", "high"]
source = write_csv(Path({str(tmp_path)!r}) / "big.csv", rows, columns)
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
from analysis.ingest.importers import import_file
try:
    import_file(source, "ucdp", Path({str(tmp_path)!r}) / "out" / "events.csv")
except OSError as err:
    print("write failed:", err)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "write failed" in result.stdout, result.stderr[-2000:]
    leftovers = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "events.csv" not in leftovers and not [p for p in leftovers if p.startswith(".")]
