import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

import data_collect

ROWS = [{"gebrek_identificatie": code} for code in ("AC1", "205", "497")]


class FakeRdw(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server naming)
        query = parse_qs(urlparse(self.path).query)
        offset = int(query["$offset"][0])
        limit = int(query["$limit"][0])
        body = str(ROWS[offset : offset + limit]).replace("'", '"').encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def rdw_server(monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), FakeRdw)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(
        data_collect, "API", f"http://127.0.0.1:{server.server_port}/resource/{{dataset_id}}.json"
    )
    yield server
    server.shutdown()


def test_every_dataset_has_an_id():
    assert set(data_collect.DATASETS) >= {
        "gekentekende_voertuigen",
        "meldingen_keuringsinstantie",
        "geconstateerde_gebreken",
    }


def test_dated_datasets_are_known_datasets():
    assert set(data_collect.DATED) <= set(data_collect.DATASETS)


def test_fetch_reads_a_single_short_page(rdw_server):
    frame = data_collect.fetch("gebreken", "hx2c-gt7k", None)
    assert frame["gebrek_identificatie"].tolist() == ["AC1", "205", "497"]


def test_fetch_follows_pages(rdw_server, monkeypatch):
    monkeypatch.setattr(data_collect, "PAGE_SIZE", 2)
    frame = data_collect.fetch("gebreken", "hx2c-gt7k", None)
    assert len(frame) == 3


def test_fetch_stops_on_an_empty_page(rdw_server, monkeypatch):
    monkeypatch.setattr(data_collect, "PAGE_SIZE", 3)
    frame = data_collect.fetch("gebreken", "hx2c-gt7k", None)
    assert len(frame) == 3


def test_fetch_is_quick_against_a_local_server(rdw_server):
    started = time.perf_counter()
    data_collect.fetch("gebreken", "hx2c-gt7k", None)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5
