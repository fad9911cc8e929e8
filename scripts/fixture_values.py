"""What the fixture generators agree on with modelwatch's readers about a raw value."""
import math

MISSING_TEXT = {'', 'NA', 'null', 'NaN'}


def is_missing(v):
    """null, empty string, NaN (and the CSV spellings NA / null / NaN) are missing."""
    if v is None:
        return True
    if isinstance(v, str):
        return v in MISSING_TEXT
    return isinstance(v, float) and math.isnan(v)
