"""somlab: the UN Protocol against the Smuggling of Migrants as executable, measurable law.

>>> import somlab
>>> result = somlab.assess({"id": "x", "date": "2020-01-01", "benefit": {"obtained": False}})
"""

__version__ = "0.1.0"

__all__ = ["__version__", "assess"]


def assess(cases, jurisdictions=None):
    """Assess cases; see `somlab.law.api.assess`."""
    from somlab.law.api import assess as _assess

    return _assess(cases, jurisdictions)
