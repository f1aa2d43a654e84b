"""Stage 1: download the RDW open-data extracts the pipeline needs.

Each dataset is fetched from the RDW Socrata API in pages and written to
``<out>/<dataset>.parquet``. Dated datasets are limited to the last ``--days``
days (``INSPECTION_DAYS_LIMIT`` in the workflows).
"""

from __future__ import annotations

import argparse
import logging
import os
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import requests

API = "https://opendata.rdw.nl/resource/{dataset_id}.json"
PAGE_SIZE = 50_000
DATASETS = {
    "gekentekende_voertuigen": "m9d7-ebf2",
    "meldingen_keuringsinstantie": "sgfe-77wx",
    "geconstateerde_gebreken": "a34c-vvps",
    "gebreken": "hx2c-gt7k",
}
# Datasets limited to the last --days days, and the date column to filter on.
DATED = {
    "gekentekende_voertuigen": "datum_tenaamstelling_dt",
    "meldingen_keuringsinstantie": "meld_datum_door_keuringsinstantie_dt",
    "geconstateerde_gebreken": "meld_datum_door_keuringsinstantie_dt",
}

log = logging.getLogger("data_collect")


def fetch(name: str, dataset_id: str, since: date | None) -> pd.DataFrame:
    """Fetch every page of one dataset; an empty page ends the dataset."""
    frames = []
    offset = 0
    while True:
        params = {"$limit": PAGE_SIZE, "$offset": offset, "$order": ":id"}
        if since is not None:
            params["$where"] = f"{DATED[name]} >= '{since:%Y-%m-%d}T00:00:00'"
        response = requests.get(API.format(dataset_id=dataset_id), params=params, timeout=60)
        response.raise_for_status()
        rows = response.json()
        if not rows:
            break
        frames.append(pd.DataFrame.from_records(rows))
        log.info("%s: page %d (%d rows)", name, offset // PAGE_SIZE + 1, len(rows))
        if len(rows) < PAGE_SIZE:
            break
        offset += PAGE_SIZE
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("data/raw"))
    parser.add_argument(
        "--days", type=int, default=int(os.environ.get("INSPECTION_DAYS_LIMIT", "30"))
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    args.out.mkdir(parents=True, exist_ok=True)
    since = date.today() - timedelta(days=args.days)
    for name, dataset_id in DATASETS.items():
        dated = name in DATED
        log.info("fetching %s (%s) since %s", name, dataset_id, since if dated else "the start")
        frame = fetch(name, dataset_id, since if dated else None)
        target = args.out / f"{name}.parquet"
        frame.to_parquet(target, index=False)
        size_mb = target.stat().st_size / 1e6
        log.info("wrote %s (%d rows, %.1f MB)", target, len(frame), size_mb)


if __name__ == "__main__":
    main()
