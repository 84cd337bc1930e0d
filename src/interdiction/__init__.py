"""interdiction: sanctions lists, screening, networks, AIS and trade analytics, offline."""

__version__ = "0.1.0"
