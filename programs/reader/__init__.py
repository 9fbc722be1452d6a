"""What a reader sees: published figures fetched and arranged for the public pages.

The views, the downloads and the PDFs share this package, so a figure reads the same
wherever it appears. ``figures`` fetches (in a fixed number of queries); the other
modules arrange what was fetched, in memory.
"""
