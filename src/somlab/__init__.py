"""somlab: the UN Protocol against the Smuggling of Migrants as executable, measurable law."""

__version__ = "0.1.0"

__all__ = ["__version__"]
