"""``new_results_folder``: every experiment's results (gil, readers, sweep, canary, replay
race) get a folder of their own, even two started in the same second from one commit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotpath_lab.storage import document_bytes, new_results_folder

NOW = 1_765_000_000.0


def test_two_in_the_same_second_get_two_folders_and_ids(tmp_path: Path) -> None:
    with new_results_folder(tmp_path, "smoke", "gil-", "abc1234def", NOW) as (first, staging):
        (staging / "a.json").write_bytes(document_bytes({"run_id": first.name}))
        with new_results_folder(tmp_path, "smoke", "gil-", "abc1234def", NOW) as (second, inner):
            (inner / "a.json").write_bytes(document_bytes({"run_id": second.name}))
    assert second.name == first.name + "-2" and first.name.startswith("gil-")
    for folder in (first, second):
        assert json.loads((folder / "a.json").read_text()) == {"run_id": folder.name}
    assert sorted(p.name for p in (tmp_path / "smoke").iterdir()) == [first.name, second.name]


def test_a_failed_block_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), new_results_folder(tmp_path, "smoke", "sweep-", "abc", NOW):
        raise RuntimeError("measuring failed")
    assert not any((tmp_path / "smoke").iterdir())
