"""data/moved_ids.csv: a move must point at an entity, and an id moves only when nothing uses it any more."""

from __future__ import annotations

import pytest

from cpsgraph.errors import DataError


@pytest.mark.parametrize("row,message", [
    ("seat/2006-caribe-tt,seat/nicaragua-caribe-tt,again,§59,170", "listed twice"),
    ("seat/old-x,seat/no-such-seat,gone,§59,170", "names nothing the graph holds"),
    ("seat/2007-caribe-tt,seat/nicaragua-caribe-tt,still used,§59,170", "still in use"),
    ("Seat/X,seat/nicaragua-caribe-tt,bad,§59,170", "not a path of slugs"),
])
def test_a_bad_move_fails_the_build_naming_the_row(data_copy, tmp_path, build_from, row, message):
    path = data_copy / "moved_ids.csv"
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(DataError) as failure:
        build_from(data_copy, tmp_path / "out")
    assert "data/moved_ids.csv:6" in str(failure.value)
    assert message in str(failure.value)
