"""The list of result keys the API lets callers choose from is the one the results carry."""

import somlab
from somlab.law.scalar import RESULT_FIELDS


def test_result_fields_are_the_keys_of_a_treaty_and_a_national_result():
    case = {"id": "c", "date": "2019-06-01", "forum": "IT"}
    results = somlab.assess([case], jurisdictions="UN-SOM,IT").to_dict()["cases"][0]["results"]
    keys = set().union(*(r.keys() for r in results))
    assert keys == set(RESULT_FIELDS)
