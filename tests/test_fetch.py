"""Downloads against a local HTTP server on 127.0.0.1, including faults; never the internet."""

from __future__ import annotations

import http.server
import io
import json
import threading
import typing
import zipfile

import pytest

from analysis.errors import DataError
from analysis.ingest.fetch import fetch_ucdp
from analysis.paths import file_digest


def ged_zip(with_csv: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if with_csv:
            archive.writestr("GEDEvent_v25_1.csv", "id,date_start\n1,2025-01-01\n")
        else:
            archive.writestr("README.txt", "nothing here")
    return buffer.getvalue()


class Handler(http.server.BaseHTTPRequestHandler):
    files: typing.ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        if self.path == "/dropped.zip":
            body = ged_zip()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 3])  # then the connection closes
            self.wfile.flush()
            self.close_connection = True
            return
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    Handler.files = {"/ged251-csv.zip": ged_zip(), "/nocsv.zip": ged_zip(with_csv=False)}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_download_is_verified_and_locked(server, tmp_path):
    lock = tmp_path / "data.lock.json"
    path = fetch_ucdp("25.1", f"{server}/ged251-csv.zip", tmp_path / "external", lock,
                      progress=False)
    entry = json.loads(lock.read_text())["ged251-csv.zip"]
    assert entry["sha256"] == file_digest(path) and entry["size"] == path.stat().st_size
    assert entry["version"] == "25.1" and entry["url"].startswith("http://127.0.0.1")
    again = fetch_ucdp("25.1", f"{server}/ged251-csv.zip", tmp_path / "external", lock,
                       progress=False)
    assert again == path


@pytest.mark.parametrize(("route", "message"), [
    ("/missing.zip", "download failed"),
    ("/dropped.zip", "download failed"),
    ("/nocsv.zip", "holds no CSV"),
])
def test_faults_give_clear_errors_and_keep_earlier_data(server, tmp_path, route, message):
    folder, lock = tmp_path / "external", tmp_path / "data.lock.json"
    good = fetch_ucdp("25.1", f"{server}/ged251-csv.zip", folder, lock, progress=False)
    before = (good.read_bytes(), lock.read_text())
    with pytest.raises(DataError, match=message):
        fetch_ucdp("25.2", f"{server}{route}", folder, lock, progress=False)
    assert (good.read_bytes(), lock.read_text()) == before
    assert sorted(p.name for p in folder.iterdir()) == ["ged251-csv.zip"]


def test_wrong_hash_is_refused(server, tmp_path):
    folder, lock = tmp_path / "external", tmp_path / "data.lock.json"
    lock.write_text(json.dumps({"ged251-csv.zip": {"sha256": "0" * 64}}))
    with pytest.raises(DataError, match="SHA-256 does not match"):
        fetch_ucdp("25.1", f"{server}/ged251-csv.zip", folder, lock, progress=False)
    assert not (folder / "ged251-csv.zip").exists()
    assert json.loads(lock.read_text()) == {"ged251-csv.zip": {"sha256": "0" * 64}}


def test_candidate_events_are_fetched_as_csv_and_locked(server, tmp_path):
    Handler.files["/GEDEvent_v25_0_3.csv"] = b"id,date_start,side_a,side_b\n1,2025-03-01,A,B\n"
    Handler.files["/notged.csv"] = b"name,value\nx,1\n"
    folder, lock = tmp_path / "external", tmp_path / "data.lock.json"
    path = fetch_ucdp("25.0.3", f"{server}/GEDEvent_v25_0_3.csv", folder, lock,
                      progress=False, candidate=True)
    assert path.name == "GEDEvent_v25_0_3.csv"
    entry = json.loads(lock.read_text())[path.name]
    assert entry["dataset"] == "UCDP Candidate Events" and entry["sha256"] == file_digest(path)
    with pytest.raises(DataError, match="not a UCDP event file"):
        fetch_ucdp("25.0.4", f"{server}/notged.csv", folder, lock, progress=False,
                   candidate=True)
    assert sorted(p.name for p in folder.iterdir()) == ["GEDEvent_v25_0_3.csv"]
