"""The tile-grid layout of the 56 jurisdictions (states/tiles.py)."""

from states.jurisdictions import JURISDICTIONS
from states.tiles import COLUMNS, ROWS, TILES


def test_every_jurisdiction_has_a_tile_and_no_two_tiles_share_a_place():
    assert set(TILES) == {code for _, code, _, _ in JURISDICTIONS}
    assert len(set(TILES.values())) == len(TILES) == 56
    assert all(0 <= row < ROWS and 0 <= column < COLUMNS for row, column in TILES.values())
