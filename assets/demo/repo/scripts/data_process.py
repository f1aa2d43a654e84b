"""Stage 2: turn the raw RDW extracts into weekly inspection summaries.

Reads ``<raw>/<dataset>.parquet`` as written by Stage 1 and writes the
summaries to ``<out>``. Waits for the raw files first: when Stage 2 starts
right after Stage 1, they may still be on their way.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

DATASETS = (
    "gekentekende_voertuigen",
    "meldingen_keuringsinstantie",
    "geconstateerde_gebreken",
    "gebreken",
)
POLL_SECONDS = 10
WAIT_LIMIT_SECONDS = 600

log = logging.getLogger("data_process")


def wait_for_raw_files(raw_dir: Path) -> dict[str, Path]:
    """Return the raw file of every dataset, waiting until all of them exist."""
    files = {name: raw_dir / f"{name}.parquet" for name in DATASETS}
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while True:
        missing = [name for name, path in files.items() if not path.exists()]
        if not missing:
            log.info("all %d raw files present in %s", len(files), raw_dir)
            return files
        if time.monotonic() > deadline:
            raise SystemExit(f"raw data still missing after {WAIT_LIMIT_SECONDS}s: {missing}")
        log.info(
            "waiting for raw data in %s: %d of %d files missing (%s)",
            raw_dir,
            len(missing),
            len(files),
            ", ".join(missing),
        )
        time.sleep(POLL_SECONDS)


def iso_week(dates):
    """Label each date with its ISO week, e.g. ``2025-W50``."""
    iso = dates.dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)


def weekly_summary(reports, defects):
    """Inspections, vehicles with defects and defects found, per ISO week."""
    import pandas as pd

    reports = reports.assign(
        week=iso_week(pd.to_datetime(reports["meld_datum_door_keuringsinstantie_dt"]))
    )
    defects = defects.assign(
        week=iso_week(pd.to_datetime(defects["meld_datum_door_keuringsinstantie_dt"]))
    )
    summary = reports.groupby("week").agg(inspections=("kenteken", "size"))
    summary["vehicles_with_defects"] = defects.groupby("week")["kenteken"].nunique()
    summary["defects"] = defects.groupby("week").size()
    return summary.fillna(0).astype(int).reset_index()


def defects_per_brand(vehicles, defects):
    """Defects found per vehicle brand, most first."""
    joined = defects.merge(vehicles[["kenteken", "merk"]], on="kenteken", how="left")
    counts = joined.groupby("merk", dropna=False).size().rename("defects").reset_index()
    return counts.sort_values("defects", ascending=False, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=Path("data/raw"))
    parser.add_argument("--out", type=Path, default=Path("data/processed"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    started = time.monotonic()
    files = wait_for_raw_files(args.raw)

    # Imported after the wait, so that waiting needs nothing but the standard library.
    import pandas as pd

    frames = {name: pd.read_parquet(path) for name, path in files.items()}
    for name, frame in frames.items():
        log.info("%s: %d rows", name, len(frame))

    args.out.mkdir(parents=True, exist_ok=True)
    outputs = {
        "weekly_summary": weekly_summary(
            frames["meldingen_keuringsinstantie"], frames["geconstateerde_gebreken"]
        ),
        "defects_per_brand": defects_per_brand(
            frames["gekentekende_voertuigen"], frames["geconstateerde_gebreken"]
        ),
    }
    for name, frame in outputs.items():
        target = args.out / f"{name}.parquet"
        frame.to_parquet(target, index=False)
        log.info("wrote %s (%d rows)", target, len(frame))
    log.info("done in %.1fs", time.monotonic() - started)


if __name__ == "__main__":
    main()
