"""What each published field of a state or territory means, said once for readers: the
columns of states.csv, the API's states (through programs.field_meanings) and the
model's help text in the admin."""

# The columns of states.csv (its "fips" is fips_code) and the fields of the API's states.
STATE = {
    "code": "The two-letter USPS code, e.g. “MN”: the state filter, and state_code in the "
    "figures.",
    "name": "The state's or territory's name.",
    "slug": "Its name in the site's addresses, e.g. “minnesota” (/states/minnesota/).",
    "fips_code": "The two-digit federal (FIPS) code, e.g. “27”.",
    "kind": "“state”, “district” (the District of Columbia) or “territory”.",
}
