import pandas as pd

import data_process


def test_all_four_datasets_are_expected():
    assert len(data_process.DATASETS) == 4


def test_wait_returns_when_all_files_exist(tmp_path):
    for name in data_process.DATASETS:
        (tmp_path / f"{name}.parquet").write_bytes(b"")
    files = data_process.wait_for_raw_files(tmp_path)
    assert set(files) == set(data_process.DATASETS)


def test_wait_gives_up_after_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(data_process, "WAIT_LIMIT_SECONDS", -1)
    try:
        data_process.wait_for_raw_files(tmp_path)
    except SystemExit as stop:
        assert "gebreken" in str(stop)
    else:
        raise AssertionError("expected SystemExit")


def test_iso_week_labels():
    dates = pd.Series(pd.to_datetime(["2025-12-10", "2025-12-29"]))
    assert data_process.iso_week(dates).tolist() == ["2025-W50", "2026-W01"]


def test_weekly_summary_counts_inspections():
    reports = pd.DataFrame(
        {
            "kenteken": ["AB123C", "XY987Z", "GH456J"],
            "meld_datum_door_keuringsinstantie_dt": ["2025-12-08", "2025-12-09", "2025-12-15"],
        }
    )
    defects = pd.DataFrame(
        {
            "kenteken": ["AB123C", "AB123C"],
            "meld_datum_door_keuringsinstantie_dt": ["2025-12-08", "2025-12-08"],
        }
    )
    summary = data_process.weekly_summary(reports, defects)
    assert summary["inspections"].tolist() == [2, 1]
    assert summary["defects"].tolist() == [2, 0]


def test_weekly_summary_counts_vehicles_once():
    reports = pd.DataFrame(
        {"kenteken": ["AB123C"], "meld_datum_door_keuringsinstantie_dt": ["2025-12-08"]}
    )
    defects = pd.DataFrame(
        {
            "kenteken": ["AB123C", "AB123C", "AB123C"],
            "meld_datum_door_keuringsinstantie_dt": ["2025-12-08"] * 3,
        }
    )
    summary = data_process.weekly_summary(reports, defects)
    assert summary["vehicles_with_defects"].tolist() == [1]


def test_weekly_summary_of_an_empty_week_is_zero():
    reports = pd.DataFrame(
        {"kenteken": ["AB123C"], "meld_datum_door_keuringsinstantie_dt": ["2025-12-08"]}
    )
    defects = pd.DataFrame({"kenteken": [], "meld_datum_door_keuringsinstantie_dt": []})
    summary = data_process.weekly_summary(reports, defects)
    assert summary["defects"].tolist() == [0]


def test_defects_per_brand_sorts_by_count():
    vehicles = pd.DataFrame({"kenteken": ["AB123C", "XY987Z"], "merk": ["VOLKSWAGEN", "TOYOTA"]})
    defects = pd.DataFrame({"kenteken": ["XY987Z", "AB123C", "XY987Z"]})
    counts = data_process.defects_per_brand(vehicles, defects)
    assert counts["merk"].tolist() == ["TOYOTA", "VOLKSWAGEN"]
    assert counts["defects"].tolist() == [2, 1]
