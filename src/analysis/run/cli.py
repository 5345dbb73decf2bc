"""Command line: ``python -m analysis COMMAND``; run it with --help for the commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import paths, study
from analysis.errors import DataError, RefreshError
from analysis.ihl import Thresholds
from analysis.schema import SCHEMA_LABEL

EXIT_OK, EXIT_INVALID, EXIT_FAILED = 0, 1, 2


def print_problems(err: DataError) -> None:
    """Every problem of a DataError on standard error, one per line."""
    for problem in err.problems:
        print(problem, file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    from analysis.data import check_events

    status = EXIT_OK
    for file in args.files:
        path = Path(file).resolve()
        try:
            events = check_events(path, actors=args.actors, references=args.references)
        except DataError as err:
            print_problems(err)
            print(f"{path}: INVALID ({len(err.problems)} problem(s))", file=sys.stderr)
            status = EXIT_INVALID
        else:
            print(f"{path}: valid ({len(events)} events, {SCHEMA_LABEL})")
    return status


def _refresh(args: argparse.Namespace) -> int:
    from analysis.run.refresh import events_for_refresh, refresh

    try:
        events_path, used = events_for_refresh([Path(f).resolve() for f in args.events])
    except DataError as err:
        print_problems(err)
        print("refresh not started: an events file is invalid", file=sys.stderr)
        return EXIT_INVALID
    print(used)
    parameters = {"events_path": events_path, "start": args.start, "end": args.end}
    report = paths.BUILD / "what-changed.md"
    try:
        changes = refresh(parameters, report=report, jobs=args.jobs)
    except RefreshError as err:
        print(err, file=sys.stderr)
        return EXIT_FAILED
    print(f"refreshed every chapter; {int(changes['changed'].sum())} of {len(changes)} "
          f"headline numbers changed (see {report})")
    return EXIT_OK


def _classify(args: argparse.Namespace) -> int:
    from analysis import ihl
    from analysis.data import check_events, load_ihl_record

    try:
        events = check_events(Path(args.events).resolve() if args.events else None)
        record = load_ihl_record()
    except DataError as err:
        print_problems(err)
        return EXIT_INVALID
    thresholds = ihl.Thresholds(args.min_clashes, args.min_months, args.min_fatalities,
                                args.min_indicators)
    end = ihl.evidence_window_end(record.organization, study.period_end(events, args.date_to))
    if args.explain:
        print(ihl.explain(events, record, *args.explain, args.date_from, end, thresholds))
        return EXIT_OK
    result = ihl.classify_window(events, record, args.date_from, end, thresholds)
    columns = ["party_a", "party_b", "classification", "ap2", "conflict_start", "reasons"]
    result[columns].to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


def _outlook(args: argparse.Namespace) -> int:
    from analysis.forecast import CHOSEN_MODEL
    from analysis.run.refresh import archive_outlook

    try:
        written = archive_outlook(args.events, args.through, args.model or CHOSEN_MODEL)
    except DataError as err:
        print_problems(err)
        return EXIT_INVALID
    except FileExistsError as err:
        print(err, file=sys.stderr)
        return EXIT_FAILED
    print(f"archived {written}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from analysis.ingest.importers import import_file, set_aside_file

    source = Path(args.file).resolve()
    out = Path(args.out).resolve() if args.out else source.with_name(
        f"{source.stem}.{args.format}.events.csv")
    try:
        report = import_file(source, args.format, out, args.country or None, args.candidate)
    except DataError as err:
        print_problems(err)
        print("import not done: nothing was written", file=sys.stderr)
        return EXIT_INVALID
    print(report.summary())
    print(f"wrote {out} and {set_aside_file(out)}")
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    from analysis.ingest.audit import run_audit

    try:
        run = run_audit(Path(args.against).resolve(),
                        Path(args.events).resolve() if args.events else None, args.date_from,
                        args.date_to, args.label, Path(args.dyadic) if args.dyadic else None)
    except DataError as err:
        print_problems(err)
        return EXIT_INVALID
    print(f"{run.reference_events} reference events read; audit of {run.start} to {run.end} "
          f"against {run.label}:")
    print(run.recall.to_string(index=False))
    if run.dyads is not None:
        print(f"IHL engine against UCDP's dyad-years: {int(run.dyads['agrees_on_ucdp'].sum())} "
              f"of {len(run.dyads)} found on UCDP's events, "
              f"{int(run.dyads['agrees_on_curated'].sum())} on the curated events")
    print(f"{run.missed} missed events; wrote " + ", ".join(map(str, run.written)))
    return EXIT_OK


def _fetch(args: argparse.Namespace) -> int:
    from analysis.ingest.fetch import fetch_ucdp

    try:
        path = fetch_ucdp(args.version, args.url, candidate=args.candidate)
    except DataError as err:
        print_problems(err)
        print("fetch failed: earlier data and the lock file are unchanged", file=sys.stderr)
        return EXIT_FAILED
    print(f"fetched {path} (recorded in data/data.lock.json)")
    return EXIT_OK


def _datapackage(args: argparse.Namespace) -> int:
    from analysis.book.provenance import datapackage

    text = json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        current = paths.DATAPACKAGE.read_text(encoding="utf-8")
        if current != text:
            print(f"{paths.DATAPACKAGE} is out of date: run `python -m analysis datapackage`",
                  file=sys.stderr)
            return EXIT_INVALID
        print(f"{paths.DATAPACKAGE} is up to date")
        return EXIT_OK
    paths.DATAPACKAGE.write_text(text, encoding="utf-8")
    print(f"wrote {paths.DATAPACKAGE}")
    return EXIT_OK


def _pdf_sources(args: argparse.Namespace) -> int:
    from analysis.book.pdf import pdf_sources

    count = pdf_sources(Path(args.out).resolve())
    print(f"wrote the PDF sources to {args.out} ({count} charts as images)")
    return EXIT_OK


def _vendor_js(args: argparse.Namespace) -> int:
    from analysis.book.charts import vega_bundle

    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(vega_bundle(), encoding="utf-8")
    temporary.replace(target)
    print(f"wrote {target}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check event files against the event schema")
    validate.add_argument("files", nargs="+")
    validate.add_argument("--actors", default=None, help="actor registry (default data/actors.csv)")
    validate.add_argument("--references", default=None,
                          help="bibliography (default references.bib)")
    validate.set_defaults(run=_validate)

    refresh = commands.add_parser("refresh", help="re-execute every chapter, atomically")
    refresh.add_argument("--events", action="append", default=[],
                         help="event file (the event schema, v1 or v2)")
    refresh.add_argument("--start", default="",
                         help=f"first day, ISO (default: the study's, {study.START})")
    refresh.add_argument("--end", default="",
                         help="last day, ISO (default: the last day of the data's last month)")
    refresh.add_argument("--jobs", type=int, default=None,
                         help="chapters run at once (default: one per processor)")
    refresh.set_defaults(run=_refresh)

    importer = commands.add_parser("import", help="convert a UCDP GED or ACLED export")
    importer.add_argument("file", help="CSV export, or UCDP's ged*-csv.zip")
    importer.add_argument("--format", choices=["ucdp", "acled"], required=True)
    importer.add_argument("--country", default="Mali", help="keep this country ('' for all)")
    importer.add_argument("--out", default=None, help="output CSV (default beside the input)")
    importer.add_argument("--candidate", action="store_true",
                          help="the file holds UCDP's monthly Candidate Events")
    importer.set_defaults(run=_import)

    fetch = commands.add_parser("fetch", help="download UCDP's GED, verified")
    fetch.add_argument("dataset", choices=["ucdp"])
    fetch.add_argument("--version", required=True,
                       help="GED version, e.g. 25.1 (with --candidate: e.g. 25.0.3)")
    fetch.add_argument("--candidate", action="store_true",
                       help="UCDP's monthly Candidate Events instead of a GED release")
    fetch.add_argument("--url", default=None, help="another address (a mirror)")
    fetch.set_defaults(run=_fetch)

    classify = commands.add_parser("classify", help="classify the armed conflicts (IHL)")
    classify.add_argument("--from", dest="date_from", default=study.START,
                          help=f"first day, ISO (default {study.START})")
    classify.add_argument("--to", dest="date_to", default="",
                          help="last day, ISO (default: the last day of the data's last month)")
    classify.add_argument("--events", default=None, help="event file (default: the book's)")
    defaults = Thresholds()
    classify.add_argument("--min-clashes", type=int, default=defaults.min_clashes)
    classify.add_argument("--min-months", type=int, default=defaults.min_months)
    classify.add_argument("--min-fatalities", type=int, default=defaults.min_fatalities)
    classify.add_argument("--min-indicators", type=int, default=defaults.min_indicators,
                          help="how many of the six other intensity indicators must point to "
                               "intensity")
    classify.add_argument("--explain", nargs=2, metavar=("PARTY_A", "PARTY_B"),
                          help="print the indicator-by-indicator reasoning for one pair "
                               "(actor ids, e.g. jnim mali) instead of the CSV")
    classify.set_defaults(run=_classify)

    outlook = commands.add_parser("outlook", help="archive the outlook of the data to a month")
    outlook.add_argument("--through", required=True, help="last month of data used, YYYY-MM")
    outlook.add_argument("--model", default=None,
                         help="a key of analysis.forecast.MODELS (default: the book's chosen "
                              "model, analysis.forecast.CHOSEN_MODEL)")
    outlook.add_argument("--events", default=None, help="event file (default: the book's)")
    outlook.set_defaults(run=_outlook)
    audit = commands.add_parser("audit", help="recall of a UCDP GED file's events by the data")
    audit.add_argument("--against", required=True, help="a UCDP GED file (any layout import reads)")
    audit.add_argument("--events", default=None, help="event file (default: the book's)")
    audit.add_argument("--from", dest="date_from", default=study.START)
    audit.add_argument("--to", dest="date_to", default="")
    audit.add_argument("--label", default="", help="name of the reference (default: file name)")
    audit.add_argument("--dyadic", default=None,
                       help="UCDP Dyadic Dataset file: compare the IHL engine with its dyad-years")
    audit.set_defaults(run=_audit)

    package = commands.add_parser("datapackage", help="write data/datapackage.json")
    package.add_argument("--check", action="store_true", help="fail if the file is stale")
    package.set_defaults(run=_datapackage)

    pdf = commands.add_parser("pdf-sources", help="the book's sources for the PDF build")
    pdf.add_argument("--out", default=str(paths.BUILD / "pdf-src"))
    pdf.set_defaults(run=_pdf_sources)

    vendor = commands.add_parser("vendor-js", help="write the offline Vega bundle")
    vendor.add_argument("--out", default=str(paths.STATIC / "vega-bundle.js"))
    vendor.set_defaults(run=_vendor_js)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))
