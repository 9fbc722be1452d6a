"""Where each of the 56 jurisdictions sits on a tile-grid map: (row, column), from 0.

NPR Visuals' state grid map with territories (nprapps/dailygraphics-templates,
``state_grid_map``; DeBelius & Hurt, "Let's Tesselate", NPR Visuals blog, 2015): a box of
10 rows by 12 columns, the columns squared off from NPR's hexagons so that no two tiles
collide. Plain data, like ``jurisdictions``: pages and stylesheets place tiles from it.
"""

ROWS = 10
COLUMNS = 12

# USPS code: (row, column)
TILES = {
    "AK": (0, 0),  # Alaska
    "ME": (0, 11),  # Maine
    "VT": (1, 10),  # Vermont
    "NH": (1, 11),  # New Hampshire
    "WA": (2, 1),  # Washington
    "MT": (2, 2),  # Montana
    "ND": (2, 3),  # North Dakota
    "MN": (2, 4),  # Minnesota
    "WI": (2, 5),  # Wisconsin
    "MI": (2, 7),  # Michigan
    "NY": (2, 9),  # New York
    "MA": (2, 10),  # Massachusetts
    "RI": (2, 11),  # Rhode Island
    "ID": (3, 2),  # Idaho
    "WY": (3, 3),  # Wyoming
    "SD": (3, 4),  # South Dakota
    "IA": (3, 5),  # Iowa
    "IL": (3, 6),  # Illinois
    "IN": (3, 7),  # Indiana
    "OH": (3, 8),  # Ohio
    "PA": (3, 9),  # Pennsylvania
    "NJ": (3, 10),  # New Jersey
    "CT": (3, 11),  # Connecticut
    "OR": (4, 1),  # Oregon
    "NV": (4, 2),  # Nevada
    "CO": (4, 3),  # Colorado
    "NE": (4, 4),  # Nebraska
    "MO": (4, 5),  # Missouri
    "KY": (4, 6),  # Kentucky
    "WV": (4, 7),  # West Virginia
    "VA": (4, 8),  # Virginia
    "MD": (4, 9),  # Maryland
    "DE": (4, 10),  # Delaware
    "CA": (5, 2),  # California
    "UT": (5, 3),  # Utah
    "NM": (5, 4),  # New Mexico
    "KS": (5, 5),  # Kansas
    "AR": (5, 6),  # Arkansas
    "TN": (5, 7),  # Tennessee
    "NC": (5, 8),  # North Carolina
    "SC": (5, 9),  # South Carolina
    "DC": (5, 10),  # District of Columbia
    "AZ": (6, 3),  # Arizona
    "OK": (6, 4),  # Oklahoma
    "LA": (6, 5),  # Louisiana
    "MS": (6, 6),  # Mississippi
    "AL": (6, 7),  # Alabama
    "GA": (6, 8),  # Georgia
    "TX": (7, 5),  # Texas
    "FL": (7, 8),  # Florida
    "MP": (8, 0),  # Northern Mariana Islands
    "HI": (8, 1),  # Hawaii
    "PR": (8, 10),  # Puerto Rico
    "VI": (8, 11),  # U.S. Virgin Islands
    "GU": (9, 0),  # Guam
    "AS": (9, 1),  # American Samoa
}
